package io.github.hotdeploy.agent.drain;

import io.github.hotdeploy.agent.Log;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM through {@code sun.misc.Signal} (JDK 8 to 25, module jdk.unsupported). Compiled with
 * -source/-target 8 against the build JDK, as {@code javac --release 8} hides sun.misc.
 *
 * <p>Installing a handler replaces the JVM's: the previous one is kept and called once the drain
 * is over, so the app's shutdown hooks run exactly as on a plain SIGTERM, in the same signal
 * handler thread, with the same exit status (143).
 */
final class SunMiscTermInterceptor implements TermInterceptor {

    static {
        Drain.registerInterceptor(new SunMiscTermInterceptor());
    }

    private final AtomicBoolean started = new AtomicBoolean();
    private volatile SignalHandler previous;

    private SunMiscTermInterceptor() {
    }

    @Override
    public void install(final Runnable drain, final Runnable cutShort) {
        Signal term = new Signal("TERM");
        SignalHandler before = Signal.handle(term, new SignalHandler() {
            @Override
            public void handle(Signal signal) {
                onTerm(signal, drain, cutShort);
            }
        });
        if (before == SignalHandler.SIG_IGN) {
            // The app (or its launcher) chose to ignore TERM: keep it that way.
            Signal.handle(term, before);
            throw new IllegalStateException("SIGTERM is ignored in this JVM");
        }
        previous = before;
    }

    private void onTerm(Signal signal, Runnable drain, Runnable cutShort) {
        if (!started.compareAndSet(false, true)) {
            // start_server sends TERM again to every old generation at each later restart: a
            // repeat is no reason to cut requests off. The drain timeout bounds the wait.
            cutShort.run();
            return;
        }
        try {
            drain.run();
        } catch (Throwable t) {
            Log.warn("drain failed (" + Log.describe(t) + "); the application stops as on a plain SIGTERM");
        }
        handOver(signal);
    }

    private void handOver(Signal signal) {
        SignalHandler next = previous;
        if (next == SignalHandler.SIG_DFL || next == null) {
            // Nothing in Java handled TERM before: die of it, as without the agent.
            Signal.handle(signal, SignalHandler.SIG_DFL);
            Signal.raise(signal);
        } else {
            next.handle(signal);
        }
    }
}
