package io.github.hotdeploy.launcher.supervision;

import io.github.hotdeploy.launcher.os.LibC;
import io.github.hotdeploy.launcher.os.Signals;
import java.util.List;
import java.util.function.Consumer;
import sun.misc.Signal;

/**
 * Turns signals into events. Handlers only post; the supervisor loop decides (the original's
 * design too). Every signal whose default action would kill start_server without cleanup is
 * caught, as far as the JVM lets us: QUIT stays the JVM's thread dump, KILL and STOP cannot be
 * caught, and the JVM keeps SEGV, BUS, FPE, ILL and USR2 for itself.
 */
public final class SignalWatcher {
    private static final long SIG_DFL = 0;
    private static final long SIG_IGN = 1;

    /** Signals routed to the supervisor; the first three also end up in the life cycle. */
    static final List<String> CAUGHT = List.of("HUP", "INT", "TERM", "USR1", "USR2", "ALRM", "CHLD",
            "VTALRM", "PROF", "XCPU", "XFSZ", "IO", "PWR", "SYS", "STKFLT");

    private SignalWatcher() {
    }

    public static void install(LibC libc, Consumer<Event> sink) {
        // Children must start with SIGPIPE ignored, and we want EPIPE, not death, on a dead log pipe.
        libc.signal(Signals.PIPE, SIG_IGN);
        for (String name : CAUGHT) {
            int number = Signals.parse(name).orElseThrow();
            if (number == Signals.HUP || number == Signals.INT || number == Signals.TERM) {
                // Under nohup, or started in the background by a script, HUP or INT may be ignored;
                // the JVM then refuses to handle them. The original overrides that; so do we.
                libc.signal(number, SIG_DFL);
            }
            try {
                Signal.handle(new Signal(name), s -> sink.accept(s.getNumber() == Signals.CHLD
                        ? new Event.ChildStateChanged()
                        : new Event.SignalReceived(s.getNumber())));
            } catch (IllegalArgumentException e) {
                // Used by this JVM (e.g. USR2 for thread suspension): it will not kill us either.
            }
        }
    }
}
