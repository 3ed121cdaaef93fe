package io.github.hotdeploy.bench.load;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The counts a run is judged by. Every request is in exactly one of ok, non-2xx or one socket
 * error kind; idle-close retries are counted on the side (a retried request that then succeeded
 * is ok, one whose retry failed is counted under the retry's failure).
 *
 * @param socketErrors  every socket error kind, zeros included, in declaration order
 * @param okLatency     nanoseconds, over the 2xx requests only
 * @param markWindows   one per mark, in time order
 */
record Summary(RunResult run, long total, long ok, long non2xx, SortedMap<Integer, Long> non2xxByStatus,
               Map<Outcome, Long> socketErrors, long idleCloseRetries, long idleCloseRetriesFailed,
               Percentiles okLatency, List<Mark> marks, List<MarkWindow> markWindows) {

    static Summary of(RunResult run, List<Mark> marks) {
        RequestLog log = run.log();
        long ok = 0;
        long non2xx = 0;
        long retries = 0;
        long retriesFailed = 0;
        SortedMap<Integer, Long> byStatus = new TreeMap<>();
        Map<Outcome, Long> socketErrors = new EnumMap<>(Outcome.class);
        for (Outcome outcome : Outcome.values()) {
            if (outcome.isSocketError()) {
                socketErrors.put(outcome, 0L);
            }
        }
        long[] okLatencies = new long[log.size()];
        for (int i = 0; i < log.size(); i++) {
            Outcome outcome = log.outcome(i);
            switch (outcome) {
                case OK -> okLatencies[(int) ok++] = log.latencyNanos(i);
                case NON_2XX -> {
                    non2xx++;
                    byStatus.merge(log.status(i), 1L, Long::sum);
                }
                default -> socketErrors.merge(outcome, 1L, Long::sum);
            }
            if (log.retriedAfterIdleClose(i)) {
                retries++;
                if (outcome.isFailure()) {
                    retriesFailed++;
                }
            }
        }
        return new Summary(run, log.size(), ok, non2xx, byStatus, socketErrors, retries, retriesFailed,
                Percentiles.of(okLatencies, 0, (int) ok), List.copyOf(marks),
                MarkWindow.of(marks, log, run.clock(), run.elapsedNanos()));
    }

    long socketErrorTotal() {
        return socketErrors.values().stream().mapToLong(Long::longValue).sum();
    }

    long failed() {
        return non2xx + socketErrorTotal();
    }

    double requestsPerSecond() {
        return run.elapsedNanos() <= 0 ? 0 : total * 1e9 / run.elapsedNanos();
    }
}
