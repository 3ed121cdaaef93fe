package io.github.hotdeploy.bench.load;

import java.util.Arrays;

/**
 * Latency percentiles by the nearest-rank method: the p-th percentile of n values is the value at
 * rank ceil(p/100 * n) in ascending order. Always one of the measured values, never interpolated,
 * so a p99 of 3 requests is honestly the slowest of them.
 */
record Percentiles(int count, long p50, long p90, long p99, long max) {

    /** No values: count 0, and every percentile -1 (rendered as empty / null). */
    static final Percentiles NONE = new Percentiles(0, -1, -1, -1, -1);

    /** Of values[from, to); values is not modified. */
    static Percentiles of(long[] values, int from, int to) {
        if (to <= from) {
            return NONE;
        }
        long[] sorted = Arrays.copyOfRange(values, from, to);
        Arrays.sort(sorted);
        return new Percentiles(sorted.length, nearestRank(sorted, 50), nearestRank(sorted, 90),
                nearestRank(sorted, 99), sorted[sorted.length - 1]);
    }

    /** sorted must be ascending and non-empty; 0 < p <= 100. */
    static long nearestRank(long[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile out of (0, 100]: " + p);
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(1, Math.min(sorted.length, rank)) - 1];
    }
}
