package io.github.hotdeploy.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What happened between one mark and the next (or the end of the run): with a mark per SIGHUP,
 * the whole effect of each restart, read without a plot.
 *
 * @param failed    requests whose final outcome was a failure
 * @param resent    requests sent again (see Worker); those that then succeeded are not in failed
 * @param okLatency nanoseconds, over the window's 2xx requests
 */
record MarkWindow(Mark mark, int requests, int failed, int resent, Percentiles okLatency) {

    /** marks must be sorted by time, as Marks.parse returns them. */
    static List<MarkWindow> of(List<Mark> marks, RequestLog log, RunClock clock, long elapsedNanos) {
        List<MarkWindow> windows = new ArrayList<>();
        for (int m = 0; m < marks.size(); m++) {
            long from = toOffsetNanos(marks.get(m), clock);
            long to = m + 1 < marks.size() ? toOffsetNanos(marks.get(m + 1), clock) : elapsedNanos;
            int requests = 0;
            int failed = 0;
            int retries = 0;
            long[] okLatencies = new long[log.size()];
            int ok = 0;
            for (int i = 0; i < log.size(); i++) {
                long start = log.startNanos(i);
                if (start < from || start >= to) {
                    continue;
                }
                requests++;
                if (log.outcome(i).isFailure()) {
                    failed++;
                } else {
                    okLatencies[ok++] = log.latencyNanos(i);
                }
                if (log.resent(i)) {
                    retries++;
                }
            }
            windows.add(new MarkWindow(marks.get(m), requests, failed, retries, Percentiles.of(okLatencies, 0, ok)));
        }
        return windows;
    }

    private static long toOffsetNanos(Mark mark, RunClock clock) {
        return TimeUnit.MILLISECONDS.toNanos(mark.epochMs() - clock.startEpochMs());
    }
}
