package io.github.hotdeploy.bench.restart;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Counts and latency percentiles over a subset of requests. Percentiles are nearest-rank over the
 * 2xx requests, as the load generator computes them, so every value shown was measured.
 */
record LoadStats(long requests, long ok, long non2xx, long socketErrors, long resent, long resentOk,
                 Map<String, Long> byKind, double p50, double p99, double p999, double max) {

    /** Requests whose final outcome was not ok. */
    long failed() {
        return non2xx + socketErrors;
    }

    /** The verdict's count: a request the client had to send again is a failed request. */
    long failedOrResent() {
        return failed() + resentOk;
    }

    static LoadStats of(List<RequestRow> rows, Predicate<RequestRow> include) {
        long requests = 0;
        long ok = 0;
        long non2xx = 0;
        long socket = 0;
        long resent = 0;
        long resentOk = 0;
        Map<String, Long> byKind = new TreeMap<>();
        double[] latencies = new double[rows.size()];
        int n = 0;
        for (RequestRow r : rows) {
            if (!include.test(r)) {
                continue;
            }
            requests++;
            if (r.resent()) {
                resent++;
                if (r.ok()) {
                    resentOk++;
                }
            }
            if (r.ok()) {
                ok++;
                latencies[n++] = r.latencyMs();
            } else {
                if (r.non2xx()) {
                    non2xx++;
                    byKind.merge("http_" + r.status(), 1L, Long::sum);
                } else {
                    socket++;
                    byKind.merge(r.outcome(), 1L, Long::sum);
                }
            }
        }
        double[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        return new LoadStats(requests, ok, non2xx, socket, resent, resentOk, Map.copyOf(byKind),
                rank(sorted, 0.50), rank(sorted, 0.99), rank(sorted, 0.999), n == 0 ? -1 : sorted[n - 1]);
    }

    /** Nearest rank: the smallest value with at least q of the values at or below it; -1 if none. */
    static double rank(double[] sorted, double q) {
        if (sorted.length == 0) {
            return -1;
        }
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
