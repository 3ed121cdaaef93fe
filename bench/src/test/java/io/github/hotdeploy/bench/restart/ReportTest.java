package io.github.hotdeploy.bench.restart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {

    private static ScenarioResult result(String mode, List<RequestRow> rows) {
        List<Restart> restarts = List.of(
                new Restart(1, 1_000, 2_000, 2_000, 2_600, 10, 11, 30, 600, ""),
                new Restart(2, 5_000, 6_200, 6_200, 7_000, 11, 12, 40, 800, ""),
                new Restart(3, 9_000, 10_400, 10_400, -1, 12, 13, -1, -1, "old generation not gone after 90 s"));
        LoadStats all = LoadStats.of(rows, r -> true);
        return new ScenarioResult("demo-jdk17-start_server-" + mode, "demo", "17", "start_server", mode,
                mode.equals("close") ? "bench new connection" : "bench keep-alive", "direct", 3, restarts,
                all, all, all, all, null, "/tmp/x.png", "");
    }

    private static List<RequestRow> rows(int ok, int reset) {
        List<RequestRow> rows = new ArrayList<>();
        for (int i = 0; i < ok; i++) {
            rows.add(new RequestRow(i, 1 + i % 10, "ok", 200));
        }
        for (int i = 0; i < reset; i++) {
            rows.add(new RequestRow(i, -1, "reset", 0));
        }
        rows.add(new RequestRow(0, 3, "non_2xx", 502));
        return rows;
    }

    @Test
    void theTableShowsFailuresRestartsAndMedians() {
        ScenarioResult r = result("keepalive", rows(100, 4));
        assertThat(r.restartsDone()).isEqualTo(2);
        assertThat(r.medianToReadyMs()).isEqualTo(1_200);
        assertThat(r.medianToOldGoneMs()).isEqualTo((1_600 + 2_000) / 2.0);
        String md = Report.markdown(List.of(r), List.of(), "header");
        String row = md.lines().filter(l -> l.startsWith("| demo |")).findFirst().orElseThrow();
        assertThat(row).contains("| bench keep-alive | direct |", "| 105 |", "| **5** |", "| 1 |", "4 (reset 4)", "| 2/3 |",
                "| 1200 ms |", "| 1800 ms |", "| 50 ms/s | - |");
        assertThat(md).doesNotContain("Problems");
        // one cell per header column
        String header = md.lines().filter(l -> l.startsWith("| server |")).findFirst().orElseThrow();
        assertThat(row.split("\\|", -1)).hasSameSizeAs(header.split("\\|", -1));
    }

    @Test
    void inFlightVerdicts() {
        InFlightResult pass = new InFlightResult("17", "demo", 200, "slept 3000 ms", null, 1_000, 4_100, 2_500, 4_200, true, 10, 1_700);
        InFlightResult fail = new InFlightResult("17", "demo", 0, "", "no response", 1_000, 3_500, 2_500, 3_600, true, 5, 1_100);
        InFlightResult late = new InFlightResult("25", "demo", 200, "slept", null, 1_000, 4_000, 4_500, 5_000, false, -1, -1);
        assertThat(pass.verdict()).isEqualTo("PASS");
        assertThat(fail.verdict()).isEqualTo("FAIL");
        assertThat(late.verdict()).isEqualTo("INCONCLUSIVE");
        String md = Report.markdown(List.of(), List.of(pass, fail, late), "h");
        assertThat(md).contains("**PASS**", "**FAIL**", "**INCONCLUSIVE**", "no response", "| 1500 ms |", "| 3100 ms |");
    }

    @Test
    void theDrainsOwnCpuBesideTheWholeJvms() {
        // TERM to exit 2 s with 600 ms of CPU (hooks included); the drain 1.5 s, 60 ms of it
        // in the JVM, 15 ms in the drain's thread.
        DrainMeter.Cost cost = new DrainMeter.Cost(600, 15, 1_500, 60);
        InFlightResult f = new InFlightResult("17", "demo", 200, "slept 3000 ms", null, 1_000, 4_100, 2_500, 4_500, true,
                600, 2_000, cost);
        assertThat(f.drainCpuMsPerSecond()).isEqualTo(300);
        assertThat(f.idleDrainCpuMsPerSecond()).isEqualTo(40);
        assertThat(f.drainThreadCpuMsPerSecond()).isEqualTo(10);
        String md = Report.markdown(List.of(), List.of(f), "h");
        String row = md.lines().filter(l -> l.startsWith("| demo |")).findFirst().orElseThrow();
        assertThat(row).endsWith("| 300 ms/s | 40 ms/s | 10 ms/s |");
        String header = md.lines().filter(l -> l.startsWith("| server | JDK | verdict |")).findFirst().orElseThrow();
        assertThat(row.split("\\|", -1)).hasSameSizeAs(header.split("\\|", -1));

        Restart r = new Restart(1, 1_000, 2_000, 2_000, 4_000, 10, 11, 600, 2_000, "", cost);
        assertThat(r.drainThreadCpuMsPerSecond()).isEqualTo(10);
        assertThat(new Restart(1, 1_000, 2_000, 2_000, 4_000, 10, 11, 600, 2_000, "").drainThreadCpuMsPerSecond())
                .isEqualTo(-1);
    }

    @Test
    void jsonHasTheSameNumbersAndIsWellFormed() {
        Map<String, String> run = new LinkedHashMap<>();
        run.put("started", "now \"quoted\"");
        ScenarioResult r = result("close", rows(10, 0));
        String json = Report.json(List.of(r, r), List.of(
                new InFlightResult("17", "demo", 200, "ok", null, 1, 2, 1, 3, true, 1, 200)), run);
        assertThat(json).contains("\"started\": \"now \\\"quoted\\\"\"", "\"failed\": 1", "\"http_502\": 1",
                "\"medianToReadyMs\": 1200.000", "\"toOldGoneMs\": -1", "\"verdict\": \"PASS\"", "\"drainCpuMs\": null");
        assertThat(balanced(json)).isTrue();
    }

    @Test
    void externalClientsAndProxiesShareTheTableWithEveryErrorKindAndTheProxysLog() {
        WrkResult w = WrkResult.parse("  500 requests in 10.00s, 1KB read\n  Socket errors: connect 0, read 8, write 0, timeout 0\n"
                + "  Non-2xx or 3xx responses: 3\n");
        List<Restart> restarts = List.of(new Restart(1, 1_000, 2_000, 2_000, 2_600, 10, 11, 30, 600, ""));
        LoadStats all = w.totals().asLoadStats();
        LoadStats none = LoadStats.of(List.of(), r -> true);
        ProxyLog nginx = new ProxyLog(503, Map.of(502, 3L), 2, Map.of());
        ScenarioResult r = new ScenarioResult("jetty-wrk-post-via-nginx", "jetty", "17", "start_server", "wrk-post",
                "wrk POST 4096 B", "nginx", 1, restarts, all, none, none, none, nginx, null, "");
        assertThat(r.verdictFailures()).isEqualTo(8 + 3 + 3 + 2);
        String md = Report.markdown(List.of(r), List.of(), "h");
        assertThat(md).contains("| jetty | 17 | start_server | wrk POST 4096 B | nginx | 508 | **11** | 3 | 8 (read 8) | 0 | "
                + "**502: 3, 2 retried** | 1/1 |");
        String json = Report.json(List.of(r), List.of(), Map.of());
        assertThat(json).contains("\"read\": 8", "\"via\": \"nginx\"", "\"proxyLog\": {\"requests\": 503, \"retried\": 2, "
                + "\"serverErrors\": {\"502\": 3}", "\"verdictFailures\": 16");
        assertThat(balanced(json)).isTrue();
    }

    @Test
    void emptyJson() {
        assertThat(balanced(Report.json(List.of(), List.of(), Map.of()))).isTrue();
    }

    /** Brackets balance outside strings: enough to catch a missing comma-free close or an extra one. */
    private static boolean balanced(String json) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (--depth < 0) {
                    return false;
                }
            }
        }
        return depth == 0 && !inString && !json.contains(",\n  ]") && !json.contains(",]");
    }
}
