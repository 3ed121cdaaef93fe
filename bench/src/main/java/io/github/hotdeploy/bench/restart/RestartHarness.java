package io.github.hotdeploy.bench.restart;

import io.github.hotdeploy.testapps.launch.Launch;
import io.github.hotdeploy.testapps.launch.TestApp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Zero downtime, proven: an app under start_server, HTTP load on loopback, a SIGHUP every few
 * seconds, and an account of every request; then the same load on the two hand-overs people use
 * without start_server, for contrast. {@code scripts/restart-under-load.sh} is the front door.
 *
 * <p>Exit status: 0 the harness ran every scenario (failed requests are results, not errors: the
 * tables report them); 1 some scenario could not run; 2 bad usage.
 */
public final class RestartHarness {

    /** What a run produced, for the integration test. */
    public record Outcome(List<ScenarioResult> scenarios, List<InFlightResult> inFlight) {
        boolean complete() {
            return scenarios.stream().allMatch(s -> s.problem().isEmpty());
        }
    }

    private RestartHarness() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        if (java.util.Arrays.asList(args).contains("--help")) {
            System.out.print(HarnessOptions.USAGE);
            return;
        }
        HarnessOptions options;
        try {
            options = HarnessOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("restart harness: " + e.getMessage());
            System.exit(2);
            return;
        }
        Outcome outcome = run(options);
        System.exit(outcome.complete() ? 0 : 1);
    }

    static Outcome run(HarnessOptions o) throws IOException, InterruptedException {
        System.setProperty("java.awt.headless", "true");
        require(o.startServer(), "start_server (build the launcher)");
        require(o.benchJar(), "the load generator (mvn -pl bench package)");
        for (String jdk : o.jdks()) {
            requireMajor(o.javas().get(jdk), jdk);
        }
        Files.createDirectories(o.out());
        Map<String, String> run = new LinkedHashMap<>();
        run.put("started", Instant.now().toString());
        run.put("quick", Boolean.toString(o.quick()));
        run.put("full", Boolean.toString(o.full()));
        run.put("servers", String.join(",", o.servers()));
        run.put("jdks", String.join(",", o.jdks()));
        run.put("modes", String.join(",", o.modes()));
        run.put("restartsPerScenario", Integer.toString(o.restarts()));
        run.put("intervalMs", Long.toString(o.intervalMs()));
        run.put("rate", Integer.toString(o.rate()));
        run.put("connections", Integer.toString(o.connections()));
        run.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        run.put("kernel", System.getProperty("os.version"));
        // Other work on the machine moves every latency here; the report must say how busy it was.
        run.put("loadavgAtStart", loadavg());

        List<ScenarioResult> results = new ArrayList<>();
        List<InFlightResult> inFlight = new ArrayList<>();
        ScenarioRunner runner = new ScenarioRunner(o);
        run.put("clients", String.join(",", o.clients()));
        run.put("proxies", String.join(",", o.proxies()));
        run.put("resend", o.resend() ? "idle-close" : "off");
        Apps.Checked checked = new Apps.Checked(o.sizes(), o.postSizes(), o.seeds());
        for (String jdk : o.jdks()) {
            String java = o.javas().get(jdk);
            for (String server : o.servers()) {
                TestApp app = Apps.get(server);
                List<String> clients = new ArrayList<>(o.modes());
                clients.addAll(o.clients());
                for (String client : clients) {
                    String whyNot = whyNot(app, client);
                    if (whyNot != null) {
                        if (o.clients().contains(client) && !app.http2() && !client.equals("h2load")) {
                            System.out.println("[" + server + "-jdk" + jdk + "-start_server-" + client + "] not run: " + whyNot);
                        }
                        continue;
                    }
                    results.add(scenario(o, runner, app, jdk, client, null, checked));
                    write(o, results, inFlight, run);
                }
            }
        }
        // Through real reverse proxies, the way production runs: on the first JDK only.
        for (String proxy : o.proxies()) {
            String jdk = o.jdks().get(0);
            for (String server : o.proxyServers()) {
                TestApp app = Apps.get(server);
                for (String client : o.proxyClients()) {
                    if (!runs(app, client)) {
                        continue;
                    }
                    results.add(scenario(o, runner, app, jdk, client, proxy, checked));
                    write(o, results, inFlight, run);
                }
            }
        }
        if (o.contrast()) {
            String jdk = o.jdks().get(0);
            String java = o.javas().get(jdk);
            TestApp app = Apps.get(o.contrastServer());
            for (String mode : o.modes()) {
                String id = app.name() + "-jdk" + jdk + "-stop-start-" + mode;
                int port = freePort();
                Path dir = o.out().resolve(id);
                Files.createDirectories(dir);
                if (app.built(o.repo())) {
                    Handover h = new StopStartHandover(Apps.prepare(app, o.repo(), java, port, dir), port, dir.resolve("app.log"),
                            o.timeoutMs());
                    results.add(runner.run(new ScenarioRunner.Scenario(id, app.name(), jdk, mode, h, port, dir)));
                } else {
                    results.add(skipped(id, app.name(), jdk, "stop-start", mode, o, app.artifact() + " is not built"));
                }
                write(o, results, inFlight, run);

                id = "reuseport-jdk" + jdk + "-" + mode;
                port = freePort();
                dir = o.out().resolve(id);
                Files.createDirectories(dir);
                List<String> cmd = List.of(java, "-cp", o.benchJar().toString(), ReusePortServer.class.getName(),
                        Integer.toString(port));
                Handover h = new ReusePortHandover(cmd, port, dir.resolve("app.log"), o.timeoutMs());
                results.add(runner.run(new ScenarioRunner.Scenario(id, "reuseport", jdk, mode, h, port, dir)));
                write(o, results, inFlight, run);
            }
        }
        if (o.wrk()) {
            // The old cross-check: wrk (keep-alive) on the contrast server, under start_server and by stop-then-start.
            String jdk = o.jdks().get(0);
            TestApp app = Apps.get(o.contrastServer());
            for (String handover : List.of("start_server", "stop-start")) {
                String id = app.name() + "-jdk" + jdk + "-" + handover + "-wrk";
                int port = freePort();
                Path dir = o.out().resolve(id);
                Files.createDirectories(dir);
                Launch cmd = Apps.prepare(app, o.repo(), o.javas().get(jdk), port, dir);
                Handover h = handover.equals("start_server")
                        ? new StarterHandover(o.startServer(), cmd, port, dir.resolve("start_server.log"), o.timeoutMs(), o.startServerOptions())
                        : new StopStartHandover(cmd, port, dir.resolve("app.log"), o.timeoutMs());
                ExternalClient wrk = new ExternalClient("wrk", o.connections(), o.requestTimeoutMs(), o.wrkPostSize());
                results.add(runner.runExternal(new ScenarioRunner.Scenario(id, app.name(), jdk, "wrk", h, port, dir, app, wrk, null)));
                write(o, results, inFlight, run);
            }
        }
        if (o.inFlight()) {
            for (String jdk : o.jdks()) {
                for (String server : o.inFlightServers()) {
                    TestApp app = Apps.get(server);
                    if (!app.sleeps() || app.http2() || !app.scheme().equals("http")) {
                        continue; // stubs cannot sleep on demand; the variants are the same servers as jetty and tomcat
                    }
                    if (!app.built(o.repo())) {
                        System.out.println("[in-flight-" + server + "-jdk" + jdk + "] skipped: " + app.artifact() + " is not built");
                        continue;
                    }
                    int port = freePort();
                    // The demo's directory keeps its old name, which the docs link to.
                    String id = server.equals("demo") ? "in-flight-jdk" + jdk : "in-flight-" + server + "-jdk" + jdk;
                    Path dir = o.out().resolve(id);
                    Files.createDirectories(dir);
                    StarterHandover h = new StarterHandover(o.startServer(), Apps.prepare(app, o.repo(), o.javas().get(jdk), port, dir),
                            port, dir.resolve("start_server.log"), o.timeoutMs(), o.startServerOptions());
                    InFlightResult f = InFlightCheck.run(h, jdk, server, port, o.inFlightSleepMs(), dir);
                    System.out.println("[" + id + "] " + f.verdict() + ": status " + f.status() + " "
                            + (f.error() != null ? f.error() : f.body()));
                    inFlight.add(f);
                    write(o, results, inFlight, run);
                }
            }
        }
        run.put("finished", Instant.now().toString());
        run.put("loadavgAtEnd", loadavg());
        write(o, results, inFlight, run);
        System.out.println();
        System.out.println(Files.readString(o.out().resolve("results.md")));
        System.out.println("results: " + o.out().resolve("results.md") + ", " + o.out().resolve("results.json"));
        return new Outcome(results, inFlight);
    }

    /**
     * Whether {@code client} (a mode of our load generator, or an external client) can load this
     * app: h2load needs HTTP/2 and the HTTP/2 variant is for h2load alone; our generator speaks
     * plain http only.
     */
    static boolean runs(TestApp app, String client) {
        return whyNot(app, client) == null;
    }

    /** Why {@code client} does not load this app, or null if it does (printed: no pair vanishes unseen). */
    static String whyNot(TestApp app, String client) {
        if (client.equals("h2load")) {
            return app.http2() ? null : "h2load needs an HTTP/2 server (jetty-h2c)";
        }
        if (app.http2()) {
            return "the HTTP/2 variant is for h2load alone";
        }
        if (client.equals("wrk-post") && !app.bodies()) {
            return "the app has no POST /echo";
        }
        if (client.equals("wrk-close") && !app.announcesClose()) {
            return "wrk counts a read error for every Connection: close request to this server, with or without"
                    + " start_server (the JDK's httpserver closes without saying so; WireMock ends the body by closing)";
        }
        return ExternalClient.NAMES.contains(client) || app.scheme().equals("http") ? null
                : "our load generator speaks plain http only";
    }

    /** One start_server scenario: the app on the JDK, loaded by the client, directly or through the proxy. */
    private static ScenarioResult scenario(HarnessOptions o, ScenarioRunner runner, TestApp app, String jdk, String client,
                                           String proxy, Apps.Checked checked) throws IOException, InterruptedException {
        String server = app.name();
        String id = server + "-jdk" + jdk + "-start_server-" + client + (proxy == null ? "" : "-via-" + proxy);
        ExternalClient external = ExternalClient.NAMES.contains(client)
                ? new ExternalClient(client, o.connections(), o.requestTimeoutMs(), o.wrkPostSize()) : null;
        if (!app.built(o.repo())) {
            return skipped(id, server, jdk, "start_server", client, o, app.artifact() + " is not built");
        }
        if (external != null && !onPath(external.name().startsWith("wrk") ? "wrk" : "h2load")) {
            return skipped(id, server, jdk, "start_server", client, o, external.name() + " is not installed");
        }
        if (proxy != null && !onPath(proxy)) {
            return skipped(id, server, jdk, "start_server", client, o, proxy + " is not installed");
        }
        int port = freePort();
        Path dir = o.out().resolve(id);
        Files.createDirectories(dir);
        Handover h = new StarterHandover(o.startServer(), Apps.prepare(app, o.repo(), o.javas().get(jdk), port, dir, checked), port,
                dir.resolve("start_server.log"), o.timeoutMs(), o.startServerOptions());
        ScenarioRunner.Scenario s = new ScenarioRunner.Scenario(id, server, jdk, client, h, port, dir, app, external, proxy);
        return external == null ? runner.run(s) : runner.runExternal(s);
    }

    static boolean onPath(String command) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d.isEmpty() ? "." : d, command))) {
                return true;
            }
        }
        return false;
    }

    private static ScenarioResult skipped(String id, String server, String jdk, String handover, String mode,
                                          HarnessOptions o, String why) {
        System.out.println("[" + id + "] skipped: " + why);
        LoadStats none = LoadStats.of(List.of(), r -> true);
        return new ScenarioResult(id, server, jdk, handover, mode, mode, "direct", o.restarts(), List.of(), none, none, none,
                none, null, null,
                "skipped: " + why);
    }

    private static void write(HarnessOptions o, List<ScenarioResult> results, List<InFlightResult> inFlight,
                              Map<String, String> run) throws IOException {
        String header = "Restarts under load, " + run.get("started") + (o.quick() ? " (quick)" : o.full() ? " (full)" : "") + ": "
                + o.restarts() + " restarts per scenario, at least " + o.intervalMs() / 1000.0 + " s apart, "
                + o.rate() + " req/s over " + o.connections() + " connections, " + run.get("cpus") + " CPUs, load average at start "
                + run.get("loadavgAtStart") + (run.containsKey("loadavgAtEnd") ? ", at end " + run.get("loadavgAtEnd") : "") + ".";
        Files.writeString(o.out().resolve("results.md"), Report.markdown(results, inFlight, header));
        Files.writeString(o.out().resolve("results.json"), Report.json(results, inFlight, run));
    }

    private static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** A run labelled "JDK 17" runs on JDK 17: the java given for it is checked, not assumed. */
    private static void requireMajor(String java, String jdk) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        int major = javaMajor(out);
        if (major != Integer.parseInt(jdk)) {
            throw new IOException(java + " is JDK " + (major < 0 ? "(unknown: " + out.strip() + ")" : major)
                    + ", not " + jdk + " (--java" + jdk + "=PATH or JAVA" + jdk + ")");
        }
    }

    private static final Pattern JAVA_VERSION = Pattern.compile("version \"(?:1\\.)?(\\d+)");

    /** The major version in {@code java -version}'s output ("openjdk version \"17.0.15\" ..."), or -1. */
    static int javaMajor(String versionOutput) {
        Matcher m = JAVA_VERSION.matcher(versionOutput);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static void require(Path p, String what) throws IOException {
        if (!Files.exists(p)) {
            throw new IOException("missing " + p + ": " + what);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
