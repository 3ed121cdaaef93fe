package io.github.hotdeploy.bench.restart;

import io.github.hotdeploy.bench.load.Format;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The results table in markdown and the same numbers in JSON. */
final class Report {

    private Report() {
    }

    static String markdown(List<ScenarioResult> results, List<InFlightResult> inFlight, String header) {
        StringBuilder md = new StringBuilder();
        md.append(header).append("\n\n");
        md.append("| server | JDK | hand-over | client | via | requests | failed or resent | non-2xx | errors by kind | resent | proxy log | restarts | "
                + "p99 before restarts | p99 between restarts | p99 restart windows | max restart windows | signal→ready (median) | signal→old gone (median) | "
                + "old JVM CPU, TERM→exit | drain thread CPU |\n");
        md.append("|---|---|---|---|---|---:|---:|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ScenarioResult r : results) {
            md.append("| ").append(r.server())
                    .append(" | ").append(r.jdk())
                    .append(" | ").append(r.handover())
                    .append(" | ").append(r.client())
                    .append(" | ").append(r.front())
                    .append(" | ").append(r.all().requests())
                    .append(" | ").append(r.all().failedOrResent() == 0 ? "0" : "**" + r.all().failedOrResent() + "**")
                    .append(" | ").append(r.all().non2xx())
                    .append(" | ").append(socketErrors(r.all()))
                    .append(" | ").append(r.all().resent())
                    .append(" | ").append(r.proxyLog() == null ? "-" : r.proxyLog().verdictFailures() == 0
                            ? r.proxyLog().summary() : "**" + r.proxyLog().summary() + "**")
                    .append(" | ").append(r.restartsDone()).append('/').append(r.restartsPlanned())
                    .append(" | ").append(ms(r.baseline().p99()))
                    .append(" | ").append(ms(r.steady().p99()))
                    .append(" | ").append(ms(r.windows().p99()))
                    .append(" | ").append(ms(r.windows().max()))
                    .append(" | ").append(ms(r.medianToReadyMs()))
                    .append(" | ").append(ms(r.medianToOldGoneMs()))
                    .append(" | ").append(cpu(r.medianDrainCpuMsPerSecond()))
                    .append(" | ").append(cpu(r.medianDrainThreadCpuMsPerSecond()))
                    .append(" |\n");
        }
        boolean problems = results.stream().anyMatch(r -> !r.problem().isEmpty());
        if (problems) {
            md.append("\nProblems:\n\n");
            for (ScenarioResult r : results) {
                if (!r.problem().isEmpty()) {
                    md.append("- ").append(r.id()).append(": ").append(r.problem()).append('\n');
                }
            }
        }
        if (!inFlight.isEmpty()) {
            md.append("\nIn-flight check (GET /sleep on the running generation, then SIGHUP; it must end with 200 although "
                    + "its generation gets TERM while it sleeps):\n\n");
            md.append("| server | JDK | verdict | status | answer or error | TERM after request start | request took | "
                    + "old gone after TERM | old JVM CPU, TERM→exit | old JVM CPU while draining (idle) | drain thread CPU |\n");
            md.append("|---|---|---|---:|---|---:|---:|---:|---:|---:|---:|\n");
            for (InFlightResult f : inFlight) {
                md.append("| ").append(f.server())
                        .append(" | ").append(f.jdk())
                        .append(" | **").append(f.verdict()).append("**")
                        .append(" | ").append(f.status() == 0 ? "-" : Integer.toString(f.status()))
                        .append(" | ").append(cell(f.error() != null ? f.error() : f.body()))
                        .append(" | ").append(f.termMs() < 0 ? "-" : ms(f.termMs() - f.requestStartMs()))
                        .append(" | ").append(f.requestEndMs() < 0 ? "-" : ms(f.requestEndMs() - f.requestStartMs()))
                        .append(" | ").append(f.oldGoneMs() < 0 || f.termMs() < 0 ? "-" : ms(f.oldGoneMs() - f.termMs()))
                        .append(" | ").append(cpu(f.drainCpuMsPerSecond()))
                        .append(" | ").append(cpu(f.idleDrainCpuMsPerSecond()))
                        .append(" | ").append(cpu(f.drainThreadCpuMsPerSecond()))
                        .append(" |\n");
            }
        }
        md.append("\nA restart window runs from the signal to the later of \"new generation ready\" and \"old generation gone\", "
                + "plus 500 ms; \"between restarts\" is every other request after the first second (a freshly started, still cold JVM serves it), \"before restarts\" the warm-up before the first signal. Clients: \"bench\" is our load generator at a fixed rate, checking every 2xx body byte for byte (GETs of several sizes, with a Content-Length and chunked, and POSTs, where the app answers them); wrk and h2load run flat out and count errors by their own kinds (wrk: connect, read, write, timeout; h2load: errored, timeout); none of them resends a request. \"Proxy log\": the 5xx statuses the proxy in front answered and the requests it sent upstream more than once, from its own log. \"Failed or resent\" is the verdict: requests whose final outcome was not a complete, correct 2xx, plus those the client had to send again (resending is off unless the run says --resend=idle-close; a resent request is a failed request, see bench/README.md). Latencies are of 2xx responses, "
                + "nearest rank. CPU figures are utime+stime per second, medians over the restarts: \"old JVM CPU, TERM→exit\" is the whole "
                + "old JVM from its TERM to its exit, per second of that time (the requests it still serves, the JIT, its shutdown "
                + "hooks included); \"drain thread CPU\" is the agent's drain alone (the JVM's \"SIGTERM handler\" thread, or that of the stop signal), per "
                + "second from TERM to the agent's end-of-drain line; \"old JVM CPU while draining (idle)\" is the whole JVM from TERM "
                + "to that line, with nothing but the sleeping request: the requirement's \"CPU per idle second\" (at most 100 ms/s).\n");
        return md.toString();
    }

    private static String socketErrors(LoadStats s) {
        if (s.socketErrors() == 0) {
            return "0";
        }
        StringBuilder b = new StringBuilder().append(s.socketErrors()).append(" (");
        boolean first = true;
        for (Map.Entry<String, Long> e : s.byKind().entrySet()) {
            if (e.getKey().startsWith("http_") || e.getValue() == 0) {
                continue;
            }
            if (!first) {
                b.append(", ");
            }
            b.append(e.getKey()).append(' ').append(e.getValue());
            first = false;
        }
        return b.append(')').toString();
    }

    private static String cell(String s) {
        String one = s.replace('\n', ' ').replace("|", "\\|");
        return one.length() > 60 ? one.substring(0, 57) + "..." : one;
    }

    static String ms(double v) {
        if (v < 0) {
            return "-";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%.0f ms", v) : String.format(Locale.ROOT, "%.1f ms", v);
    }

    private static String cpu(double msPerSecond) {
        return msPerSecond < 0 ? "-" : String.format(Locale.ROOT, "%.0f ms/s", msPerSecond);
    }

    static String json(List<ScenarioResult> results, List<InFlightResult> inFlight, Map<String, String> run) {
        StringBuilder j = new StringBuilder("{\n  \"run\": {");
        boolean first = true;
        for (Map.Entry<String, String> e : run.entrySet()) {
            j.append(first ? "" : ", ").append(Format.jsonString(e.getKey())).append(": ").append(Format.jsonString(e.getValue()));
            first = false;
        }
        j.append("},\n  \"scenarios\": [");
        for (int i = 0; i < results.size(); i++) {
            ScenarioResult r = results.get(i);
            j.append(i == 0 ? "\n" : ",\n");
            j.append("    {\"id\": ").append(Format.jsonString(r.id()))
                    .append(", \"server\": ").append(Format.jsonString(r.server()))
                    .append(", \"jdk\": ").append(Format.jsonString(r.jdk()))
                    .append(", \"handover\": ").append(Format.jsonString(r.handover()))
                    .append(", \"mode\": ").append(Format.jsonString(r.mode()))
                    .append(", \"client\": ").append(Format.jsonString(r.client()))
                    .append(", \"via\": ").append(Format.jsonString(r.front()))
                    .append(", \"restartsPlanned\": ").append(r.restartsPlanned())
                    .append(", \"restartsDone\": ").append(r.restartsDone())
                    .append(", \"resent\": ").append(r.all().resent())
                    .append(", \"failedOrResent\": ").append(r.all().failedOrResent())
                    .append(", \"verdictFailures\": ").append(r.verdictFailures())
                    .append(r.proxyLog() == null ? "" : ",\n     \"proxyLog\": " + proxyJson(r.proxyLog()))
                    .append(",\n     \"all\": ").append(stats(r.all()))
                    .append(",\n     \"beforeRestarts\": ").append(stats(r.baseline()))
                    .append(",\n     \"steady\": ").append(stats(r.steady()))
                    .append(",\n     \"restartWindows\": ").append(stats(r.windows()))
                    .append(",\n     \"medianToReadyMs\": ").append(num(r.medianToReadyMs()))
                    .append(", \"medianToOldGoneMs\": ").append(num(r.medianToOldGoneMs()))
                    .append(", \"medianDrainCpuMsPerSecond\": ").append(num(r.medianDrainCpuMsPerSecond()))
                    .append(", \"medianDrainThreadCpuMsPerSecond\": ").append(num(r.medianDrainThreadCpuMsPerSecond()))
                    .append(", \"plot\": ").append(r.plot() == null ? "null" : Format.jsonString(r.plot()))
                    .append(", \"problem\": ").append(Format.jsonString(r.problem()))
                    .append(",\n     \"restarts\": [");
            for (int k = 0; k < r.restarts().size(); k++) {
                Restart x = r.restarts().get(k);
                j.append(k == 0 ? "\n" : ",\n");
                j.append("       {\"n\": ").append(x.number())
                        .append(", \"signalEpochMs\": ").append(x.signalMs())
                        .append(", \"toReadyMs\": ").append(x.toReadyMs())
                        .append(", \"toOldGoneMs\": ").append(x.toOldGoneMs())
                        .append(", \"oldPid\": ").append(x.oldPid())
                        .append(", \"newPid\": ").append(x.newPid())
                        .append(", \"drainMs\": ").append(x.drainMs())
                        .append(", \"drainCpuMs\": ").append(num(x.drainCpuMs()))
                        .append(", \"agentDrainMs\": ").append(x.drain().drainMs())
                        .append(", \"drainThreadCpuMs\": ").append(num(x.drain().drainThreadMs()))
                        .append(", \"problem\": ").append(Format.jsonString(x.problem())).append('}');
            }
            j.append(r.restarts().isEmpty() ? "]}" : "\n     ]}");
        }
        j.append(results.isEmpty() ? "],\n" : "\n  ],\n");
        j.append("  \"inFlight\": [");
        for (int i = 0; i < inFlight.size(); i++) {
            InFlightResult f = inFlight.get(i);
            j.append(i == 0 ? "\n" : ",\n");
            j.append("    {\"server\": ").append(Format.jsonString(f.server()))
                    .append(", \"jdk\": ").append(Format.jsonString(f.jdk()))
                    .append(", \"verdict\": ").append(Format.jsonString(f.verdict()))
                    .append(", \"status\": ").append(f.status())
                    .append(", \"body\": ").append(Format.jsonString(f.body()))
                    .append(", \"error\": ").append(f.error() == null ? "null" : Format.jsonString(f.error()))
                    .append(", \"requestStartEpochMs\": ").append(f.requestStartMs())
                    .append(", \"requestEndEpochMs\": ").append(f.requestEndMs())
                    .append(", \"termEpochMs\": ").append(f.termMs())
                    .append(", \"oldGoneEpochMs\": ").append(f.oldGoneMs())
                    .append(", \"termDuringRequest\": ").append(f.termDuringRequest())
                    .append(", \"drainMs\": ").append(f.drainMs())
                    .append(", \"drainCpuMs\": ").append(num(f.drainCpuMs()))
                    .append(", \"agentDrainMs\": ").append(f.drain().drainMs())
                    .append(", \"cpuUntilDrainDoneMs\": ").append(num(f.drain().untilDrainDoneMs()))
                    .append(", \"drainThreadCpuMs\": ").append(num(f.drain().drainThreadMs()))
                    .append('}');
        }
        j.append(inFlight.isEmpty() ? "]\n}\n" : "\n  ]\n}\n");
        return j.toString();
    }

    private static String proxyJson(ProxyLog p) {
        StringBuilder b = new StringBuilder("{\"requests\": ").append(p.requests()).append(", \"retried\": ").append(p.retried())
                .append(", \"serverErrors\": {");
        boolean first = true;
        for (Map.Entry<Integer, Long> e : new java.util.TreeMap<>(p.serverErrors()).entrySet()) {
            b.append(first ? "" : ", ").append('"').append(e.getKey()).append("\": ").append(e.getValue());
            first = false;
        }
        b.append("}, \"errorLog\": {");
        first = true;
        for (Map.Entry<String, Long> e : new java.util.TreeMap<>(p.errorLogLines()).entrySet()) {
            b.append(first ? "" : ", ").append(Format.jsonString(e.getKey())).append(": ").append(e.getValue());
            first = false;
        }
        return b.append("}}").toString();
    }

    private static String stats(LoadStats s) {
        StringBuilder b = new StringBuilder("{\"requests\": ").append(s.requests())
                .append(", \"ok\": ").append(s.ok())
                .append(", \"failed\": ").append(s.failed())
                .append(", \"non2xx\": ").append(s.non2xx())
                .append(", \"socketErrors\": ").append(s.socketErrors())
                .append(", \"byKind\": {");
        boolean first = true;
        for (Map.Entry<String, Long> e : new java.util.TreeMap<>(s.byKind()).entrySet()) {
            b.append(first ? "" : ", ").append(Format.jsonString(e.getKey())).append(": ").append(e.getValue());
            first = false;
        }
        return b.append("}, \"p50Ms\": ").append(num(s.p50()))
                .append(", \"p99Ms\": ").append(num(s.p99()))
                .append(", \"p999Ms\": ").append(num(s.p999()))
                .append(", \"maxMs\": ").append(num(s.max())).append('}').toString();
    }

    private static String num(double v) {
        return v < 0 ? "null" : String.format(Locale.ROOT, "%.3f", v);
    }
}
