package io.github.hotdeploy.bench.load;

import java.util.Map;
import java.util.StringJoiner;

/** The human summary printed at the end of a run. Zero counts are shown: a zero is a result. */
final class SummaryText {

    private SummaryText() {
    }

    static String render(Summary s) {
        LoadOptions o = s.run().options();
        StringBuilder out = new StringBuilder();
        line(out, "target", o.targetUrl() + "  mode=" + o.mode().label() + "  connections=" + o.connections()
                + (o.rate() > 0 ? "  rate=" + Format.decimal(o.rate(), 0) + "/s" : "")
                + "  resend=" + (o.resend() ? "idle-close" : "off"));
        line(out, "elapsed", Format.decimal(s.run().elapsedNanos() / 1e9, 2) + " s (" + s.run().stopReason() + ")");
        line(out, "requests", s.total() + " total, " + s.ok() + " ok, " + s.failed() + " failed  ("
                + Format.decimal(s.requestsPerSecond(), 1) + " req/s)");
        StringJoiner statuses = new StringJoiner(", ", " (", ")").setEmptyValue("");
        s.non2xxByStatus().forEach((status, count) -> statuses.add(status + ": " + count));
        line(out, "non-2xx", s.non2xx() + statuses.toString());
        StringJoiner kinds = new StringJoiner(", ", " (", ")");
        s.socketErrors().forEach((kind, count) -> kinds.add(kind.label() + " " + count));
        line(out, "errors", s.socketErrorTotal() + kinds.toString());
        line(out, "resent", s.resent() + " sent again after an idle close, " + (s.resent() - s.resentThenFailed())
                + " of them then succeeded (failures all the same), " + s.resentThenFailed() + " failed again");
        line(out, "stale", s.run().samples().staleDropped() + " idle connection(s) found closed by the server before"
                + " reuse, replaced (not requests)");
        Percentiles all = s.okLatency();
        line(out, "latency (ok)", all.count() == 0 ? "no successful request"
                : "p50 " + Format.ms(all.p50()) + " ms  p90 " + Format.ms(all.p90()) + " ms  p99 "
                + Format.ms(all.p99()) + " ms  max " + Format.ms(all.max()) + " ms");
        if (s.byKind().size() > 1) {
            for (Summary.KindCount k : s.byKind()) {
                line(out, "kind", k.kind() + ": " + k.requests() + " requests, " + k.failedOrResent() + " failed or resent");
            }
        }
        for (Map.Entry<String, String> sample : s.run().samples().snapshot().entrySet()) {
            line(out, "first " + sample.getKey(), sample.getValue());
        }
        for (MarkWindow w : s.markWindows()) {
            Percentiles p = w.okLatency();
            line(out, "mark", "+" + Format.decimal(s.run().clock().offsetMs(w.mark().epochMs()) / 1000, 3) + " s  "
                    + w.mark().label() + "  (until the next: " + w.requests() + " requests, " + w.failed() + " failed"
                    + (w.resent() > 0 ? ", " + w.resent() + " resent" : "")
                    + (p.count() > 0 ? ", p99 " + Format.ms(p.p99()) + " ms, max " + Format.ms(p.max()) + " ms" : "")
                    + ")");
        }
        line(out, "result", s.failedOrResent() == 0 ? "PASS: no failed request, none resent"
                : "FAIL: " + s.failedOrResent() + " of " + s.total() + " requests failed or were resent ("
                + s.failed() + " failed, " + s.resent() + " resent)");
        return out.toString();
    }

    private static void line(StringBuilder out, String name, String value) {
        out.append(String.format("%-14s %s%n", name, value));
    }
}
