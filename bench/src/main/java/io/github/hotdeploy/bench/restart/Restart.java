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
 */
record Restart(int number, long signalMs, long readyMs, long termMs, long oldGoneMs, long oldPid, long newPid,
               double drainCpuMs, long drainMs, String problem) {

    long toReadyMs() {
        return readyMs < 0 ? -1 : readyMs - signalMs;
    }

    long toOldGoneMs() {
        return oldGoneMs < 0 ? -1 : oldGoneMs - signalMs;
    }

    /** CPU milliseconds per second of drain; -1 when not measured or too short to mean anything. */
    double drainCpuMsPerSecond() {
        return drainCpuMs < 0 || drainMs < 100 ? -1 : drainCpuMs * 1000.0 / drainMs;
    }

    /** The end of the restart window: the later of ready and old-gone, plus the margin. */
    long windowEnd(long marginMs, long fallbackMs) {
        long end = Math.max(readyMs, oldGoneMs);
        return end < 0 ? signalMs + fallbackMs : end + marginMs;
    }
}
