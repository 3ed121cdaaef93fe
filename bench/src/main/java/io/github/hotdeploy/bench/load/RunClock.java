package io.github.hotdeploy.bench.load;

import java.util.concurrent.TimeUnit;

/**
 * The run's time base. Request times are System.nanoTime() offsets from startNanos (immune to
 * wall-clock steps); startEpochMs, read at the same moment, maps them to wall-clock time so that
 * marks written by other processes ("epoch_ms label") line up with requests.
 */
record RunClock(long startNanos, long startEpochMs, long endNanos) {

    static RunClock startingNow(long durationMs) {
        long epochMs = System.currentTimeMillis();
        long nanos = System.nanoTime();
        return new RunClock(nanos, epochMs, nanos + TimeUnit.MILLISECONDS.toNanos(durationMs));
    }

    /** Milliseconds since the start of the run for an epoch time (negative if before). */
    double offsetMs(long epochMs) {
        return epochMs - startEpochMs;
    }

    long epochMsAt(long offsetNanos) {
        return startEpochMs + TimeUnit.NANOSECONDS.toMillis(offsetNanos);
    }
}
