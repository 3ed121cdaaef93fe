package io.github.hotdeploy.bench.restart;

import io.github.hotdeploy.testapps.launch.TestApp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one scenario: a server, a hand-over, a client (our load generator in a load mode, or one we
 * did not write), optionally a reverse proxy in front; load throughout, restarts paced.
 */
final class ScenarioRunner {

    /**
     * @param mode    our load generator's mode (keepalive, close), or the external client's name
     * @param client  the external client, or null for our load generator
     * @param front   the proxy's name (nginx, haproxy), or null: the client talks to start_server's port
     * @param app     what the server answers (checked bodies or not) and how (http, https)
     */
    record Scenario(String id, String server, String jdk, String mode, Handover handover, int port, Path dir,
                    TestApp app, ExternalClient client, String front) {

        Scenario(String id, String server, String jdk, String mode, Handover handover, int port, Path dir) {
            this(id, server, jdk, mode, handover, port, dir, null, null, null);
        }

        /** For the results table: "bench keep-alive", "wrk POST 4096 B", "h2load". */
        String clientLabel() {
            return client != null ? client.label() : mode.equals("close") ? "bench new connection" : "bench keep-alive";
        }

        String frontLabel() {
            return front == null ? "direct" : front;
        }
    }

    private final HarnessOptions options;

    ScenarioRunner(HarnessOptions options) {
        this.options = options;
    }

    /** A client under which the restarts happen: started against a port, stopped so that it reports. */
    private interface Load {
        void start(int port) throws IOException;

        boolean alive();

        void stop() throws IOException, InterruptedException;
    }

    /** With our load generator (its mode is the scenario's): every request accounted for, windows, a plot. */
    ScenarioResult run(Scenario s) throws IOException, InterruptedException {
        Path loadDir = s.dir().resolve("load");
        Child[] load = new Child[1];
        Outcome o = underLoad(s, "", new Load() {
            @Override
            public void start(int port) throws IOException {
                load[0] = Child.start("load", loadCommand(s, port, loadDir, s.dir().resolve("marks")),
                        s.dir().resolve("load.log"), null);
            }

            @Override
            public boolean alive() {
                return load[0].alive();
            }

            @Override
            public void stop() {
                // TERM ends the run early by design: the files are still written (the load
                // generator gives itself up to 120 s for that on a starved machine).
                load[0].stop(150_000);
            }
        });
        return o.failure != null ? o.failure : analyse(s, o.restarts, o.problem, o.proxyLog);
    }

    /**
     * The same restarts with a client we did not write (wrk, h2load): totals only, every error
     * kind it reports. h2load runs in slices (it prints nothing when stopped by a signal).
     */
    ScenarioResult runExternal(Scenario s) throws IOException, InterruptedException {
        ExternalClient c = s.client();
        Path log = s.dir().resolve(c.name() + ".log");
        ExternalRun[] run = new ExternalRun[1];
        Outcome o = underLoad(s, c.label() + ", ", new Load() {
            @Override
            public void start(int port) throws IOException {
                String base = s.app().scheme() + "://127.0.0.1:" + port;
                String getPath = s.app().bodies() ? "/bytes?size=" + options.wrkGetSize() + "&seed=1" : "/";
                run[0] = new ExternalRun(c, c.command(base, getPath, s.dir()), log);
                run[0].start();
            }

            @Override
            public boolean alive() {
                return run[0].liveness().getAsBoolean();
            }

            @Override
            public void stop() throws IOException, InterruptedException {
                run[0].stop();
            }
        });
        if (o.failure != null) {
            return o.failure;
        }
        StringBuilder out = new StringBuilder();
        for (String line : Files.readAllLines(log)) {
            // Child prefixes every line with the epoch ms it was read.
            out.append(line.substring(line.indexOf(' ') + 1)).append('\n');
        }
        ClientTotals totals = c.parse(out.toString());
        String problem = totals != null ? o.problem : (o.problem + " " + c.name() + " printed no summary (see " + log + ")").strip();
        LoadStats all = totals == null ? LoadStats.of(List.of(), r -> true) : totals.asLoadStats();
        LoadStats none = LoadStats.of(List.of(), r -> true);
        say(s, String.format("%s: %d requests, %d failed (%d non-2xx, errors %s)%s", c.name(), all.requests(), all.failed(),
                all.non2xx(), all.byKind(), o.proxyLog == null ? "" : "; " + s.front() + ": " + o.proxyLog.summary()));
        return new ScenarioResult(s.id(), s.server(), s.jdk(), s.handover().name(), s.mode(), s.clientLabel(), s.frontLabel(),
                options.restarts(), List.copyOf(o.restarts), all, none, none, none, o.proxyLog, null, problem);
    }

    /** What underLoad saw; {@code failure} is set when the scenario could not run at all. */
    private record Outcome(List<Restart> restarts, String problem, ProxyLog proxyLog, ScenarioResult failure) {
    }

    /**
     * The skeleton of every scenario: the first generation, the proxy in front if any, the load
     * against the proxy or start_server's port, the paced restarts, then everything stopped in
     * reverse order (the proxy after the load, so that its log holds every request).
     */
    private Outcome underLoad(Scenario s, String what, Load load) throws IOException, InterruptedException {
        Files.createDirectories(s.dir());
        Path marks = s.dir().resolve("marks");
        Files.writeString(marks, "");
        List<Restart> restarts = new ArrayList<>();
        String problem;
        say(s, "starting (" + s.handover().name() + ", " + what + "port " + s.port()
                + (s.front() == null ? "" : ", via " + s.front()) + ")");
        ProxyLog proxyLog = null;
        try (Handover h = s.handover()) {
            if (!h.start()) {
                return new Outcome(restarts, "", null, failed(s, "the first generation never served (log in " + s.dir() + ")"));
            }
            Proxy proxy = s.front() == null ? null : Proxy.prepare(s.front(), s.dir(), RestartHarness.freePort(), s.port());
            try {
                if (proxy != null) {
                    proxy.start();
                }
                load.start(proxy == null ? s.port() : proxy.port());
                try {
                    problem = restartUnderLoad(s, h, load::alive, marks, restarts);
                } finally {
                    load.stop();
                }
            } finally {
                if (proxy != null) {
                    proxy.close();
                    proxyLog = proxy.log();
                }
            }
        }
        return new Outcome(restarts, problem, proxyLog, null);
    }

    /** Warm-up, the paced restarts, the tail; returns a problem, or "". */
    private String restartUnderLoad(Scenario s, Handover h, java.util.function.BooleanSupplier loadAlive, Path marks,
                                    List<Restart> restarts)
            throws IOException, InterruptedException {
        Handover.Marks marker = (ms, label) -> {
            try {
                Files.writeString(marks, ms + " " + label + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        };
        String problem = "";
        Thread.sleep(options.warmupMs());
        long lastSignal = 0;
        long lastGone = 0;
        for (int n = 1; n <= options.restarts(); n++) {
            // One restart per signal: never signal while the previous hand-over is still on
            // (start_server would fold the HUPs into one).
            long next = Math.max(lastSignal + options.intervalMs(), lastGone + options.settleMs());
            long wait = next - System.currentTimeMillis();
            if (wait > 0) {
                Thread.sleep(wait);
            }
            if (!loadAlive.getAsBoolean()) {
                problem = "the load ended early";
                break;
            }
            Restart r = h.restart(n, marker);
            restarts.add(r);
            lastSignal = r.signalMs();
            lastGone = Math.max(Math.max(r.oldGoneMs(), r.readyMs()), System.currentTimeMillis());
            say(s, String.format("restart %d: ready +%d ms, old gone +%d ms%s", n, r.toReadyMs(), r.toOldGoneMs(),
                    r.problem().isEmpty() ? "" : " (" + r.problem() + ")"));
            if (r.readyMs() < 0) {
                problem = "restart " + n + ": " + r.problem();
                break;
            }
        }
        Thread.sleep(options.tailMs());
        return problem;
    }

    private ScenarioResult failed(ScenarioRunner.Scenario s, String problem) {
        say(s, "FAILED: " + problem);
        LoadStats none = LoadStats.of(List.of(), r -> true);
        return new ScenarioResult(s.id(), s.server(), s.jdk(), s.handover().name(), s.mode(), s.clientLabel(), s.frontLabel(),
                options.restarts(), List.of(), none, none, none, none, null, null, problem);
    }

    /** Our load generator: checked bodies (GETs of several sizes and framings, POSTs) where the app has them. */
    private List<String> loadCommand(Scenario s, int port, Path loadDir, Path marks) {
        List<String> cmd = new ArrayList<>(List.of(options.harnessJava(), "-jar", options.benchJar().toString(),
                "--port=" + port, "--mode=" + s.mode(),
                "--connections=" + options.connections(), "--rate=" + options.rate(), "--duration=3600",
                "--timeout-ms=" + options.requestTimeoutMs(), "--out=" + loadDir, "--marks=" + marks, "--raw",
                "--resend=" + (options.resend() ? "idle-close" : "off")));
        if (s.app() != null && s.app().bodies() && options.checkBodies()) {
            cmd.add("--sizes=" + join(options.sizes()));
            cmd.add("--post-sizes=" + join(options.postSizes()));
            cmd.add("--seeds=" + options.seeds());
        }
        return cmd;
    }

    private static String join(List<Integer> values) {
        return String.join(",", values.stream().map(String::valueOf).toList());
    }

    private ScenarioResult analyse(Scenario s, List<Restart> restarts, String problem, ProxyLog proxyLog) throws IOException {
        Path loadDir = s.dir().resolve("load");
        Path requests = loadDir.resolve("requests.csv");
        if (!Files.isRegularFile(requests)) {
            return failed(s, "the load generator wrote no requests.csv (see " + s.dir().resolve("load.log") + ")");
        }
        List<RequestRow> rows;
        try {
            rows = RequestRow.read(requests);
        } catch (IOException e) {
            // One unreadable scenario must not end a run of hours: it is reported, the run goes on.
            return failed(s, "unreadable requests.csv: " + e.getMessage() + " (see " + s.dir().resolve("load.log") + ")");
        }
        long first = rows.isEmpty() ? 0 : rows.get(0).startEpochMs();
        Windows windows = Windows.of(restarts, options.marginMs(), options.timeoutMs(), first + options.steadyAfterMs());
        LoadStats all = LoadStats.of(rows, r -> true);
        LoadStats steady = LoadStats.of(rows, r -> windows.steady(r.startEpochMs()));
        // Before the first restart every JVM involved has had the warm-up to compile its hot paths;
        // between restarts the new generation is always cold.
        long firstSignal = restarts.isEmpty() ? Long.MAX_VALUE : restarts.get(0).signalMs();
        LoadStats baseline = LoadStats.of(rows, r -> r.startEpochMs() >= first + options.steadyAfterMs()
                && r.startEpochMs() < firstSignal);
        LoadStats inWindows = LoadStats.of(rows, r -> windows.inRestart(r.startEpochMs()));
        String plot = null;
        Path timeline = loadDir.resolve("timeline.csv");
        if (Files.isRegularFile(timeline)) {
            Path png = s.dir().resolve("latency.png");
            LatencyPlot.draw(timeline, windows, restarts,
                    s.server() + " (JDK " + s.jdk() + "), " + s.handover().name() + ", " + s.clientLabel()
                            + (s.front() == null ? "" : " via " + s.front()) + ": " + all.requests() + " requests, "
                            + all.failedOrResent() + " failed or resent, " + restarts.size() + " restarts",
                    png);
            plot = png.toString();
        }
        ScenarioResult result = new ScenarioResult(s.id(), s.server(), s.jdk(), s.handover().name(), s.mode(), s.clientLabel(),
                s.frontLabel(), options.restarts(), List.copyOf(restarts), all, baseline, steady, inWindows, proxyLog, plot, problem);
        say(s, String.format("%d requests, %d failed (%d non-2xx, %d errors %s), %d resent, p99 steady %.1f ms, in restarts %.1f ms",
                all.requests(), all.failed(), all.non2xx(), all.socketErrors(), all.byKind(), all.resent(), steady.p99(),
                inWindows.p99()) + (proxyLog == null ? "" : "; " + s.front() + ": " + proxyLog.summary()));
        return result;
    }

    private static void say(Scenario s, String what) {
        System.out.println("[" + s.id() + "] " + what);
    }
}
