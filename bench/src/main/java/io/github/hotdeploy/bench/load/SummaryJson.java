package io.github.hotdeploy.bench.load;

import java.util.Map;
import java.util.StringJoiner;

/** summary.json: the same numbers as the text summary, for scripts and plots. Times in ms. */
final class SummaryJson {

    private SummaryJson() {
    }

    static String render(Summary s) {
        LoadOptions o = s.run().options();
        RunClock clock = s.run().clock();
        Percentiles p = s.okLatency();
        StringJoiner statuses = new StringJoiner(",", "{", "}");
        s.non2xxByStatus().forEach((status, count) -> statuses.add(Format.jsonString(status.toString()) + ":" + count));
        StringJoiner kinds = new StringJoiner(",", "{", "}");
        s.socketErrors().forEach((kind, count) -> kinds.add(Format.jsonString(kind.label()) + ":" + count));
        StringJoiner samples = new StringJoiner(",", "{", "}");
        for (Map.Entry<String, String> e : s.run().samples().snapshot().entrySet()) {
            samples.add(Format.jsonString(e.getKey()) + ":" + Format.jsonString(e.getValue()));
        }
        StringJoiner marks = new StringJoiner(",", "[", "]");
        for (MarkWindow w : s.markWindows()) {
            Mark m = w.mark();
            marks.add("{\"epochMs\":" + m.epochMs() + ",\"offsetMs\":" + Format.decimal(clock.offsetMs(m.epochMs()), 0)
                    + ",\"label\":" + Format.jsonString(m.label())
                    + ",\"untilNext\":{\"requests\":" + w.requests() + ",\"failed\":" + w.failed()
                    + ",\"resent\":" + w.resent()
                    + ",\"p99Ms\":" + Format.jsonMs(w.okLatency().p99()) + ",\"maxMs\":" + Format.jsonMs(w.okLatency().max())
                    + "}}");
        }
        return "{\n"
                + "  \"target\": " + Format.jsonString(o.targetUrl()) + ",\n"
                + "  \"mode\": " + Format.jsonString(o.mode().label()) + ",\n"
                + "  \"connections\": " + o.connections() + ",\n"
                + "  \"durationLimitMs\": " + o.durationMs() + ",\n"
                + "  \"requestLimit\": " + o.requests() + ",\n"
                + "  \"timeoutMs\": " + o.timeoutMs() + ",\n"
                + "  \"rate\": " + Format.decimal(o.rate(), 1) + ",\n"
                + "  \"resend\": " + Format.jsonString(o.resend() ? "idle-close" : "off") + ",\n"
                + "  \"startEpochMs\": " + clock.startEpochMs() + ",\n"
                + "  \"elapsedMs\": " + Format.ms(s.run().elapsedNanos()) + ",\n"
                + "  \"stopReason\": " + Format.jsonString(s.run().stopReason()) + ",\n"
                + "  \"total\": " + s.total() + ",\n"
                + "  \"ok\": " + s.ok() + ",\n"
                + "  \"failed\": " + s.failed() + ",\n"
                + "  \"requestsPerSecond\": " + Format.decimal(s.requestsPerSecond(), 1) + ",\n"
                + "  \"non2xx\": {\"total\": " + s.non2xx() + ", \"byStatus\": " + statuses + "},\n"
                + "  \"socketErrors\": {\"total\": " + s.socketErrorTotal() + ", \"byKind\": " + kinds + "},\n"
                + "  \"resent\": {\"total\": " + s.resent() + ", \"thenSucceeded\": "
                + (s.resent() - s.resentThenFailed()) + ", \"thenFailed\": " + s.resentThenFailed() + "},\n"
                + "  \"failedOrResent\": " + s.failedOrResent() + ",\n"
                + "  \"pass\": " + (s.failedOrResent() == 0) + ",\n"
                + "  \"requestKinds\": " + kinds(s) + ",\n"
                + "  \"staleConnectionsReplaced\": " + s.run().samples().staleDropped() + ",\n"
                + "  \"latencyMsOfOkRequests\": {\"count\": " + p.count() + ", \"p50\": " + Format.jsonMs(p.p50())
                + ", \"p90\": " + Format.jsonMs(p.p90()) + ", \"p99\": " + Format.jsonMs(p.p99())
                + ", \"max\": " + Format.jsonMs(p.max()) + "},\n"
                + "  \"firstErrorMessages\": " + samples + ",\n"
                + "  \"marks\": " + marks + "\n"
                + "}\n";
    }

    private static String kinds(Summary s) {
        StringJoiner out = new StringJoiner(",", "[", "]");
        for (Summary.KindCount k : s.byKind()) {
            out.add("{\"kind\":" + Format.jsonString(k.kind()) + ",\"requests\":" + k.requests()
                    + ",\"failedOrResent\":" + k.failedOrResent() + "}");
        }
        return out.toString();
    }
}
