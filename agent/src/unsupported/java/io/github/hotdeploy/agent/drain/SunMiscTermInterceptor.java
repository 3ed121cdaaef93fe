package io.github.hotdeploy.agent.drain;

import io.github.hotdeploy.agent.Log;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM (and start_server's other stop signals) through {@code sun.misc.Signal} (JDK 8 to 25,
 * module jdk.unsupported). Compiled with -source/-target 8 against the build JDK, as
 * {@code javac --release 8} hides sun.misc.
 *
 * <p>Installing a handler replaces the JVM's: the previous one is kept, per signal, and called
 * once the drain is over, so the app's shutdown hooks run exactly as on a plain SIGTERM, in the
 * same signal handler thread, with the same exit status (143); a USR1 whose previous action was
 * the default one still ends the process (status 138, as a shell reports death by SIGUSR1).
 */
final class SunMiscTermInterceptor implements TermInterceptor {

    static {
        DrainTrigger.registerInterceptor(new SunMiscTermInterceptor());
    }

    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean handedOver;
    private final Map<String, SignalHandler> previous = new ConcurrentHashMap<String, SignalHandler>();

    private SunMiscTermInterceptor() {
    }

    @Override
    public List<String> install(List<String> others, DrainTrigger trigger) {
        if (!intercept("TERM", trigger)) {
            // The app (or its launcher) chose to ignore TERM: keep it that way.
            throw new IllegalStateException("SIGTERM is ignored in this JVM");
        }
        List<String> refused = new ArrayList<String>();
        for (String name : others) {
            if (name.equals("TERM") || previous.containsKey(name)) {
                continue;
            }
            try {
                if (!intercept(name, trigger)) {
                    refused.add("SIG" + name + " (ignored in this JVM)");
                }
            } catch (IllegalArgumentException e) {
                // "Unknown signal", "Signal already used by VM" (QUIT, USR2, ...): -Xrs-like
                refused.add("SIG" + name + " (" + e.getMessage() + ")");
            }
        }
        return refused;
    }

    /** False (and nothing changed) when the signal is ignored. */
    private boolean intercept(String name, final DrainTrigger trigger) {
        Signal signal = new Signal(name);
        SignalHandler before = Signal.handle(signal, new SignalHandler() {
            @Override
            public void handle(Signal received) {
                onSignal(received, trigger);
            }
        });
        if (before == SignalHandler.SIG_IGN) {
            Signal.handle(signal, before);
            return false;
        }
        previous.put(name, before);
        return true;
    }

    private void onSignal(Signal signal, DrainTrigger trigger) {
        if (!started.compareAndSet(false, true)) {
            if (!handedOver) {
                // start_server sends TERM again to every old generation at each later restart:
                // a repeat is no reason to cut requests off. The drain timeout bounds the wait.
                trigger.repeated();
            } else {
                // Drained already (say on USR1, whose handler let the app live on): this signal
                // gets what it would get without the agent.
                handOver(signal);
            }
            return;
        }
        try {
            trigger.drain();
        } catch (Throwable t) {
            Log.warn("drain failed (" + Log.describe(t) + "); the application stops as on a plain SIG"
                    + signal.getName());
        }
        handedOver = true;
        handOver(signal);
    }

    private void handOver(Signal signal) {
        SignalHandler next = previous.get(signal.getName());
        if (next != SignalHandler.SIG_DFL && next != null) {
            next.handle(signal);
            return;
        }
        // Nothing in Java handled it before: its default action, as without the agent. Signal.raise
        // cannot deliver it (it insists on a Java handler), so the process ends the way the
        // default action would, without shutdown hooks, with the status a shell reports for
        // death by that signal; the signals whose default is to be ignored change nothing.
        Signal.handle(signal, SignalHandler.SIG_DFL);
        if (!IGNORED_BY_DEFAULT.contains(signal.getName())) {
            Runtime.getRuntime().halt(128 + signal.getNumber());
        }
    }

    private static final java.util.Set<String> IGNORED_BY_DEFAULT =
            new java.util.HashSet<String>(java.util.Arrays.asList("CHLD", "CONT", "URG", "WINCH"));
}
