package io.github.hotdeploy.bench.load;

import java.util.concurrent.locks.LockSupport;

/**
 * Spaces one worker's requests to its share of --rate, or lets it run flat out when no rate is
 * set. A worker that falls behind sends at once, without bursting to catch up, so the server never
 * sees more than the rate; latency is always measured from the moment a request is really sent.
 */
final class Pacer {

    private final long intervalNanos;
    private long nextNanos;

    /** intervalNanos 0 means unpaced; firstNanos staggers workers so they do not fire together. */
    Pacer(long intervalNanos, long firstNanos) {
        this.intervalNanos = intervalNanos;
        this.nextNanos = firstNanos;
    }

    static Pacer forWorker(double totalRatePerSecond, int workers, int workerIndex, long startNanos) {
        if (totalRatePerSecond <= 0) {
            return new Pacer(0, startNanos);
        }
        long interval = (long) Math.max(1, 1e9 * workers / totalRatePerSecond);
        return new Pacer(interval, startNanos + interval * workerIndex / workers);
    }

    /** Waits for this worker's next turn; false when that turn would fall at or after endNanos. */
    boolean awaitTurn(long endNanos) {
        if (intervalNanos == 0) {
            return System.nanoTime() - endNanos < 0;
        }
        if (nextNanos - endNanos >= 0) {
            return false;
        }
        long wait;
        while ((wait = nextNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
        nextNanos = Math.max(nextNanos + intervalNanos, System.nanoTime());
        return true;
    }
}
