package io.github.hotdeploy.bench.restart;

import java.util.Map;

/**
 * What a client that keeps no per-request record (wrk, h2load) printed at the end of a run:
 * totals only, every error kind it reports (zeros included), its latencies if it gives them.
 *
 * @param requests completed responses, whatever their status
 * @param errors by the client's own names (wrk: connect, read, write, timeout; h2load: failed,
 *               errored, timeout), in the order it prints them
 * @param p50Ms  -1 when the client does not report it
 */
record ClientTotals(long requests, long non2xx, Map<String, Long> errors, double p50Ms, double p99Ms) {

    long errorTotal() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * As LoadStats, so that the one results table holds every client (no windows). wrk and h2load
     * count a request that met an error apart from the completed ones: requests here are both.
     */
    LoadStats asLoadStats() {
        return new LoadStats(requests + errorTotal(), Math.max(0, requests - non2xx), non2xx, errorTotal(), 0, 0,
                Map.copyOf(errors), p50Ms, p99Ms, -1, -1);
    }
}
