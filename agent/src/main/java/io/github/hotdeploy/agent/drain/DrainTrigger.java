package io.github.hotdeploy.agent.drain;

import io.github.hotdeploy.agent.Log;
import io.github.hotdeploy.agent.bootstrap.JdkInternals;
import java.io.File;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.function.Consumer;

/**
 * What starts the drain: SIGTERM and start_server's other stop signals, or, inside jsvc, its call
 * of the daemon's {@code stop()}. Set up at start-up; the {@link Drain} itself, and the classes it
 * and its write path need, are loaded only when one of them arrives. Every class loaded at
 * start-up is paid for on every restart and none of the agent's can come from a class cache
 * (docs/benchmarks/classcache.md): at start-up only this class, {@link TermInterceptor} and its
 * implementation load from this package, besides {@link AdoptedListeners}.
 *
 * <p>Inside jsvc (Apache Commons Daemon), which creates the JVM through JNI and handles SIGTERM
 * itself (its native handler sets a flag; its main thread then calls the daemon's stop() and
 * destroy() through commons-daemon's {@code DaemonLoader} and ends with System.exit), a TERM
 * handler of ours would race jsvc's: they replace each other in whatever order their threads
 * run. There the drain runs on entry of {@code DaemonLoader.stop()} instead (HookTable's hook):
 * on jsvc's own thread, before the application's stop, which then runs as without the agent.
 */
public final class DrainTrigger implements Runnable {

    private static volatile TermInterceptor interceptor;

    private final JdkInternals jdk;
    private final AdoptedListeners listeners;
    private final long timeoutMs;
    private final long graceMs;
    private final Instrumentation inst;
    private final Consumer<ClassLoader> exportBridge;
    private Drain drain; // guarded by this
    private volatile boolean repeatSeen;

    /**
     * @param exportBridge how a hooked class outside the JDK (Netty's response encoder) gets
     *     access to the bridge, for the write path installed at the drain
     */
    public DrainTrigger(JdkInternals jdk, AdoptedListeners listeners, long timeoutMs, long graceMs,
            Instrumentation inst, Consumer<ClassLoader> exportBridge) {
        this.jdk = jdk;
        this.listeners = listeners;
        this.timeoutMs = timeoutMs;
        this.graceMs = graceMs;
        this.inst = inst;
        this.exportBridge = exportBridge;
    }

    /** Whether this JVM runs inside jsvc, whose stop() the drain must then precede (see the class comment). */
    public static boolean insideJsvc() {
        try {
            return new File("/proc/self/exe").getCanonicalFile().getName().equals("jsvc");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Called by the interceptor's static initialiser. */
    static void registerInterceptor(TermInterceptor registered) {
        interceptor = registered;
    }

    /**
     * Puts the drain in front of SIGTERM and of {@code otherSignals} (start_server's
     * {@code --signal-on-hup}/{@code --signal-on-term} when they are not TERM), or throws (nothing
     * changed) when TERM cannot be intercepted.
     *
     * @return the other signals that could not be intercepted, each with the reason
     */
    public List<String> onStopSignals(List<String> otherSignals) throws Exception {
        if (interceptor == null) {
            Class.forName(DrainTrigger.class.getPackage().getName() + ".SunMiscTermInterceptor", true,
                    DrainTrigger.class.getClassLoader());
        }
        if (interceptor == null) {
            throw new IllegalStateException("no SIGTERM interceptor registered");
        }
        return interceptor.install(otherSignals, this);
    }

    /** Makes jsvc's call of the daemon's stop() drain first (on TERM, INT and HUP, its reload). */
    public void beforeDaemonStop() {
        jdk.setDaemonStop(this);
    }

    /** Drains: jsvc's stop(), through the bridge, which swallows what this throws. */
    @Override
    public void run() {
        try {
            drain();
        } catch (Throwable t) {
            Log.warn("drain failed (" + Log.describe(t) + "); the application stops as without the agent");
        }
    }

    /** The drain, on the thread that received the stop; returns once it hands over. */
    void drain() {
        Drain d;
        synchronized (this) {
            if (drain == null) {
                drain = new Drain(jdk, listeners, timeoutMs, graceMs, inst, exportBridge);
            }
            d = drain;
        }
        d.drain();
    }

    /** A stop signal while the drain runs: said once, and it does not cut the drain short. */
    void repeated() {
        if (!repeatSeen) {
            repeatSeen = true;
            Log.info("drain (pid " + Drain.pid() + "): stop signal again; still draining (at most " + timeoutMs
                    + " ms in all)");
        }
    }
}
