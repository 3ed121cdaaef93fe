package io.github.hotdeploy.bench.load;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The counts a run is judged by. Every request is in exactly one of ok, non-2xx or one error
 * kind, by its final outcome; resent requests (--resend) are counted on the side (one whose
 * resend succeeded is ok, one whose resend failed is counted under the resend's failure). The
 * verdict counts both: a request the client had to send again is a failed request.
 *
 * @param socketErrors  every error kind but non-2xx, zeros included, in declaration order
 * @param okLatency     nanoseconds, over the 2xx requests only
 * @param markWindows   one per mark, in time order
 * @param byKind        per kind of request (Workload#kinds): requests, and those failed or resent
 */
record Summary(RunResult run, long total, long ok, long non2xx, SortedMap<Integer, Long> non2xxByStatus,
               Map<Outcome, Long> socketErrors, long resent, long resentThenFailed,
               Percentiles okLatency, List<Mark> marks, List<MarkWindow> markWindows, List<KindCount> byKind) {

    record KindCount(String kind, long requests, long failedOrResent) {
    }

    static Summary of(RunResult run, List<Mark> marks) {
        RequestLog log = run.log();
        long ok = 0;
        long non2xx = 0;
        long retries = 0;
        long retriesFailed = 0;
        long[] kindRequests = new long[run.kinds().size()];
        long[] kindBad = new long[run.kinds().size()];
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
            if (log.resent(i)) {
                retries++;
                if (outcome.isFailure()) {
                    retriesFailed++;
                }
            }
            kindRequests[log.kind(i)]++;
            if (outcome.isFailure() || log.resent(i)) {
                kindBad[log.kind(i)]++;
            }
        }
        List<KindCount> byKind = new java.util.ArrayList<>();
        for (int k = 0; k < kindRequests.length; k++) {
            byKind.add(new KindCount(run.kinds().get(k), kindRequests[k], kindBad[k]));
        }
        return new Summary(run, log.size(), ok, non2xx, byStatus, socketErrors, retries, retriesFailed,
                Percentiles.of(okLatencies, 0, (int) ok), List.copyOf(marks),
                MarkWindow.of(marks, log, run.clock(), run.elapsedNanos()), List.copyOf(byKind));
    }

    long socketErrorTotal() {
        return socketErrors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Requests whose final outcome was not ok. */
    long failed() {
        return non2xx + socketErrorTotal();
    }

    /** The verdict's count: the failed requests plus those that succeeded only when sent again. */
    long failedOrResent() {
        return failed() + resent - resentThenFailed;
    }

    double requestsPerSecond() {
        return run.elapsedNanos() <= 0 ? 0 : total * 1e9 / run.elapsedNanos();
    }
}
