package io.github.hotdeploy.bench.restart;

/**
 * What one restart took. {@code signalMs} is when the harness acted (SIGHUP to start_server, TERM
 * to the old JVM for stop-then-start, start of the new JVM for SO_REUSEPORT); the other times
 * are -1 when they never came.
 *
 * @param readyMs    the new generation serves: start_server's "new worker is now running", or
 *                   the first 200 from the new JVM / its "listening" line for the contrasts
 * @param oldGoneMs  the old generation has exited ("old worker PID died", or its exit observed)
 * @param drainCpuMs utime+stime the old JVM used from its TERM to its last sample, -1 unknown
 * @param drainMs    from its TERM to its exit
 * @param drain      the agent's drain alone (start_server only): its thread's CPU, its length
 */
record Restart(int number, long signalMs, long readyMs, long termMs, long oldGoneMs, long oldPid, long newPid,
               double drainCpuMs, long drainMs, String problem, DrainMeter.Cost drain) {

    /** A hand-over without the agent's drain. */
    Restart(int number, long signalMs, long readyMs, long termMs, long oldGoneMs, long oldPid, long newPid,
            double drainCpuMs, long drainMs, String problem) {
        this(number, signalMs, readyMs, termMs, oldGoneMs, oldPid, newPid, drainCpuMs, drainMs, problem,
                DrainMeter.Cost.UNKNOWN);
    }

    long toReadyMs() {
        return readyMs < 0 ? -1 : readyMs - signalMs;
    }

    long toOldGoneMs() {
        return oldGoneMs < 0 ? -1 : oldGoneMs - signalMs;
    }

    /**
     * The whole old JVM's CPU milliseconds per second from TERM to exit (requests it still
     * serves, JIT, shutdown hooks included); -1 when not measured or too short to mean anything.
     */
    double drainCpuMsPerSecond() {
        return DrainMeter.Cost.perSecond(drainCpuMs, drainMs);
    }

    /** The drain thread's CPU milliseconds per second of the drain (TERM to the agent's hand-over); -1 unknown. */
    double drainThreadCpuMsPerSecond() {
        return DrainMeter.Cost.perSecond(drain.drainThreadMs(), drain.drainMs());
    }

    /** The end of the restart window: the later of ready and old-gone, plus the margin. */
    long windowEnd(long marginMs, long fallbackMs) {
        long end = Math.max(readyMs, oldGoneMs);
        return end < 0 ? signalMs + fallbackMs : end + marginMs;
    }
}
