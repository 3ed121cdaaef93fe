package io.github.hotdeploy.bench.restart;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The harness's command line. {@code --quick} changes the defaults (a few restarts, the demo app
 * only); {@code --full} changes them to the whole matrix (every server, JDK 17 and 25, the
 * in-flight check on every server); any option given explicitly wins.
 */
record HarnessOptions(Path repo, Path out, boolean quick, boolean full, List<String> servers, List<String> jdks, List<String> modes,
                      int restarts, long intervalMs, long settleMs, long warmupMs, long tailMs, long marginMs,
                      long steadyAfterMs, long timeoutMs, int rate, int connections, int requestTimeoutMs,
                      boolean contrast, String contrastServer, boolean inFlight, List<String> inFlightServers, int inFlightSleepMs, boolean wrk, boolean resend,
                      List<String> clients, List<String> proxies, List<String> proxyServers, List<String> proxyClients,
                      List<Integer> sizes, List<Integer> postSizes, int seeds, int wrkPostSize, int wrkGetSize,
                      Path startServer, List<String> startServerOptions, Path benchJar, Map<String, String> javas,
                      String harnessJava) {

    static final String USAGE = """
            usage: RestartHarness [--quick|--full] [--servers=a,b|all] [--jdk=17|25|both] [--modes=keepalive,close]
                   [--restarts=N] [--interval=SECS] [--rate=R] [--connections=N] [--contrast=yes|no]
                   [--contrast-server=NAME] [--in-flight=yes|no] [--in-flight-servers=a,b|all] [--in-flight-ms=N]
                   [--wrk=yes|no] [--resend=off|idle-close] [--clients=wrk,wrk-close,wrk-post,h2load|none]
                   [--proxies=nginx,haproxy|none] [--proxy-servers=a,b] [--proxy-clients=keepalive,wrk,wrk-post]
                   [--sizes=N,..] [--post-sizes=N,..] [--seeds=N] [--wrk-post-size=N] [--wrk-get-size=N]
                   [--out=DIR] [--repo=DIR]
                   [--java17=PATH] [--java25=PATH] [--warmup=SECS] [--tail=SECS] [--margin-ms=N]
                   [--request-timeout-ms=N] [--restart-timeout=SECS] [--start-server=PATH] [--bench-jar=PATH]
                   [--wait-ready-timeout=SECS] [--drain-grace=SECS] (passed to start_server; its defaults otherwise)
            servers: demo, jetty, jetty11, tomcat, tomcat-nio2, netty, netty-epoll, undertow, httpserver, serversocket,
                     spring-boot, vertx, wiremock, tomcat-dist, jetty-dist, and the variants jetty-h2c (h2load only),
                     jetty-tls and tomcat-tls (https: the wrk clients only)
            """;

    /** GET /bytes sizes of our load generator: empty, small, a few KiB in one write, ~110 KB (issue 14's WireMock body). */
    static final String DEFAULT_SIZES = "0,100,20000,110000";
    static final String DEFAULT_POST_SIZES = "0,4096,65536";
    static final String ALL_CLIENTS = "wrk,wrk-close,wrk-post,h2load";

    static HarnessOptions parse(String... args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (String a : args) {
            if (a.equals("--quick") || a.equals("--full")) {
                o.put(a.substring(2), "yes");
                continue;
            }
            if (!a.startsWith("--") || a.indexOf('=') < 0) {
                throw new IllegalArgumentException("expected --name=value, got '" + a + "'\n" + USAGE);
            }
            o.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        }
        boolean quick = yes(o.remove("quick"), false);
        boolean full = yes(o.remove("full"), false);
        if (quick && full) {
            throw new IllegalArgumentException("--quick and --full exclude each other");
        }
        Path repo = Path.of(o.getOrDefault("repo", ".")).toAbsolutePath().normalize();
        o.remove("repo");
        List<String> servers = servers(o.remove("servers"), quick ? "demo" : full ? "all" : "demo,jetty,tomcat,netty,undertow");
        String jdk = o.getOrDefault("jdk", full ? "both" : "17");
        o.remove("jdk");
        List<String> jdks = switch (jdk) {
            case "17" -> List.of("17");
            case "25" -> List.of("25");
            case "both" -> List.of("17", "25");
            default -> throw new IllegalArgumentException("--jdk must be 17, 25 or both, not " + jdk);
        };
        List<String> modes = list(o.remove("modes"), "keepalive,close");
        for (String m : modes) {
            if (!m.equals("keepalive") && !m.equals("close")) {
                throw new IllegalArgumentException("--modes: keepalive and/or close, not " + m);
            }
        }
        int restarts = Integer.parseInt(take(o, "restarts", quick ? "3" : "20"));
        long intervalMs = secs(take(o, "interval", "3"));
        long warmupMs = secs(take(o, "warmup", quick ? "2" : "3"));
        long tailMs = secs(take(o, "tail", "2"));
        long marginMs = Long.parseLong(take(o, "margin-ms", "500"));
        int rate = Integer.parseInt(take(o, "rate", "400"));
        // Issue 14: at least 32 connections, the number at which every server lost requests.
        int connections = Integer.parseInt(take(o, "connections", "32"));
        int requestTimeoutMs = Integer.parseInt(take(o, "request-timeout-ms", "10000"));
        long timeoutMs = secs(take(o, "restart-timeout", "90"));
        boolean contrast = yes(o.remove("contrast"), true);
        String contrastServer = take(o, "contrast-server", "demo");
        boolean inFlight = yes(o.remove("in-flight"), true);
        List<String> inFlightServers = servers(o.remove("in-flight-servers"), full ? String.join(",", servers) : "demo");
        boolean wrk = yes(o.remove("wrk"), false);
        // The load generator resends nothing unless told to; a resent request fails the verdict anyway.
        String resendValue = take(o, "resend", "off");
        if (!resendValue.equals("off") && !resendValue.equals("idle-close")) {
            throw new IllegalArgumentException("--resend must be off or idle-close, not " + resendValue);
        }
        boolean resend = resendValue.equals("idle-close");
        List<String> clients = none(list(o.remove("clients"), full ? ALL_CLIENTS : "none"));
        for (String c : clients) {
            if (!ExternalClient.NAMES.contains(c)) {
                throw new IllegalArgumentException("--clients: " + ALL_CLIENTS + " or none, not " + c);
            }
        }
        List<String> proxies = none(list(o.remove("proxies"), full ? "nginx,haproxy" : "none"));
        for (String p : proxies) {
            if (!Proxy.NAMES.contains(p)) {
                throw new IllegalArgumentException("--proxies: nginx, haproxy or none, not " + p);
            }
        }
        List<String> proxyServers = servers(o.remove("proxy-servers"), "jetty,tomcat");
        List<String> proxyClients = list(o.remove("proxy-clients"), "keepalive,wrk,wrk-post");
        for (String c : proxyClients) {
            if (!c.equals("keepalive") && !c.equals("close") && !ExternalClient.NAMES.contains(c)) {
                throw new IllegalArgumentException("--proxy-clients: keepalive, close, " + ALL_CLIENTS + ", not " + c);
            }
        }
        List<Integer> sizes = ints("sizes", take(o, "sizes", DEFAULT_SIZES));
        List<Integer> postSizes = ints("post-sizes", take(o, "post-sizes", DEFAULT_POST_SIZES));
        int seeds = Integer.parseInt(take(o, "seeds", "4"));
        int wrkPostSize = Integer.parseInt(take(o, "wrk-post-size", "4096"));
        int wrkGetSize = Integer.parseInt(take(o, "wrk-get-size", "20000"));
        // At least: InFlightCheck sleeps longer for a server that was slow to start.
        int inFlightSleepMs = Integer.parseInt(take(o, "in-flight-ms", "3000"));
        Path out = Path.of(take(o, "out", repo.resolve("bench/results/tmp/restarts").toString())).toAbsolutePath();
        Path startServer = Path.of(take(o, "start-server", repo.resolve("bin/start_server").toString()));
        // start_server TERMs a new generation not ready within its --wait-ready-timeout (60 s): on a
        // starved machine Spring Boot can take longer, and a test of the drain may want to allow it.
        String waitReady = o.remove("wait-ready-timeout");
        // The drain's grace period is a trade-off the benchmarks measure (docs/benchmarks/restarts.md).
        String drainGrace = o.remove("drain-grace");
        List<String> startServerOptions = new ArrayList<>();
        if (waitReady != null) {
            startServerOptions.add("--wait-ready-timeout=" + waitReady);
        }
        if (drainGrace != null) {
            startServerOptions.add("--drain-grace=" + drainGrace);
        }
        Path benchJar = Path.of(take(o, "bench-jar", repo.resolve("bench/target/bench.jar").toString()));
        String harnessJava = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Map<String, String> javas = new LinkedHashMap<>();
        javas.put("17", take(o, "java17", System.getenv().getOrDefault("JAVA17", "java")));
        javas.put("25", take(o, "java25", System.getenv().getOrDefault("JAVA25", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java")));
        if (!o.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s): " + o.keySet() + "\n" + USAGE);
        }
        return new HarnessOptions(repo, out, quick, full, servers, jdks, modes, restarts, intervalMs, 500, warmupMs, tailMs,
                marginMs, 1000, timeoutMs, rate, connections, requestTimeoutMs, contrast, contrastServer, inFlight,
                inFlightServers, inFlightSleepMs, wrk, resend, clients, proxies, proxyServers, proxyClients, sizes, postSizes, seeds,
                wrkPostSize, wrkGetSize, startServer, startServerOptions, benchJar, javas,
                harnessJava);
    }

    private static String take(Map<String, String> o, String key, String dflt) {
        String v = o.remove(key);
        return v == null ? dflt : v;
    }

    private static long secs(String s) {
        return Math.round(Double.parseDouble(s) * 1000);
    }

    private static boolean yes(String v, boolean dflt) {
        if (v == null) {
            return dflt;
        }
        return switch (v) {
            case "yes", "true", "on" -> true;
            case "no", "false", "off" -> false;
            default -> throw new IllegalArgumentException("expected yes or no, not " + v);
        };
    }

    /** A list of server names, each known, or {@code all}. */
    private static List<String> servers(String v, String dflt) {
        List<String> names = list(v, dflt);
        if (names.equals(List.of("all"))) {
            return List.copyOf(Apps.ALL.keySet());
        }
        for (String s : names) {
            Apps.get(s);
        }
        return names;
    }

    /** "none" means the empty list. */
    private static List<String> none(List<String> names) {
        return names.equals(List.of("none")) ? List.of() : names;
    }

    private static List<Integer> ints(String name, String v) {
        List<Integer> out = new ArrayList<>();
        for (String s : list(v, "")) {
            try {
                out.add(Integer.parseInt(s));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + ": whole numbers, not " + s);
            }
        }
        return List.copyOf(out);
    }

    /** Our load generator checks bodies (with apps that answer /bytes and /echo) unless both lists are empty. */
    boolean checkBodies() {
        return !sizes.isEmpty() || !postSizes.isEmpty();
    }

    private static List<String> list(String v, String dflt) {
        List<String> out = new ArrayList<>();
        for (String s : (v == null ? dflt : v).split(",")) {
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        }
        return List.copyOf(out);
    }
}
