package io.github.hotdeploy.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The run cut into 100 ms buckets by request start time, to see what a restart did and when.
 * Buckets are contiguous from the start (empty ones included) so a plot's x axis is honest.
 */
final class Timeline {

    static final long BUCKET_MS = 100;
    private static final long BUCKET_NANOS = TimeUnit.MILLISECONDS.toNanos(BUCKET_MS);

    /**
     * @param failures  requests that failed or were resent (a resent one that then succeeded is also in ok)
     * @param resent    requests that were resent
     * @param okLatency nanoseconds, over the bucket's 2xx requests
     * @param marks     labels of the marks that fall in this bucket
     */
    record Bucket(long offsetMs, long epochMs, int requests, int ok, int failures, int resent,
                  Percentiles okLatency, List<String> marks) {
    }

    private Timeline() {
    }

    static List<Bucket> of(RequestLog log, RunClock clock, long elapsedNanos, List<Mark> marks) {
        int count = (int) (Math.max(0, elapsedNanos - 1) / BUCKET_NANOS) + 1;
        int[] requests = new int[count];
        int[] ok = new int[count];
        int[] failures = new int[count];
        int[] retries = new int[count];
        for (int i = 0; i < log.size(); i++) {
            int b = bucketOf(log.startNanos(i), count);
            requests[b]++;
            // A resent request is a failure even when its resend succeeded (then it is also ok).
            if (log.outcome(i) == Outcome.OK) {
                ok[b]++;
            }
            if (log.outcome(i) != Outcome.OK || log.resent(i)) {
                failures[b]++;
            }
            if (log.resent(i)) {
                retries[b]++;
            }
        }
        // Group the 2xx latencies by bucket in one array: offsets[b] is where bucket b's slice begins.
        int[] offsets = new int[count + 1];
        for (int b = 0; b < count; b++) {
            offsets[b + 1] = offsets[b] + ok[b];
        }
        long[] latencies = new long[offsets[count]];
        int[] fill = offsets.clone();
        for (int i = 0; i < log.size(); i++) {
            if (log.outcome(i) == Outcome.OK) {
                latencies[fill[bucketOf(log.startNanos(i), count)]++] = log.latencyNanos(i);
            }
        }
        List<List<String>> labels = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            labels.add(new ArrayList<>());
        }
        for (Mark mark : marks) {
            double offsetMs = clock.offsetMs(mark.epochMs());
            if (offsetMs >= 0 && offsetMs < count * BUCKET_MS) {
                labels.get((int) (offsetMs / BUCKET_MS)).add(mark.label());
            }
        }
        List<Bucket> buckets = new ArrayList<>(count);
        for (int b = 0; b < count; b++) {
            long offsetMs = b * BUCKET_MS;
            buckets.add(new Bucket(offsetMs, clock.startEpochMs() + offsetMs, requests[b], ok[b], failures[b],
                    retries[b], Percentiles.of(latencies, offsets[b], offsets[b + 1]), List.copyOf(labels.get(b))));
        }
        return buckets;
    }

    /** A request that started after elapsedNanos cannot exist; clamp for safety all the same. */
    private static int bucketOf(long startNanos, int count) {
        return (int) Math.min(count - 1, Math.max(0, startNanos / BUCKET_NANOS));
    }
}
