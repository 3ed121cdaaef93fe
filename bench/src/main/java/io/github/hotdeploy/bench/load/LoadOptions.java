package io.github.hotdeploy.bench.load;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import io.github.hotdeploy.testapps.common.Bodies;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A run's settings. Every run is bounded both in time and in request count, and only targets the
 * loopback interface: this tool hammers a server as hard as it can and must never point elsewhere.
 *
 * @param durationMs  time during which requests are started (requests in flight then still finish)
 * @param requests    total request budget over all connections
 * @param timeoutMs   bound on each request, connect and idle-close retry included
 * @param rate        total requests per second over all connections; 0 means as fast as possible
 * @param sizes       GET /bytes of these sizes, bodies checked (empty: GET --path unless postSizes)
 * @param postSizes   POST /echo with bodies of these sizes, answers checked
 * @param resend      resend a GET once on a new connection after an idle close (counted as a failure all the same)
 */
record LoadOptions(String host, InetAddress address, int port, String path, int connections,
                   long durationMs, long requests, Mode mode, int timeoutMs, double rate,
                   Path outDir, Path marksFile, boolean raw, boolean progress,
                   List<Integer> sizes, Workload.Framing framing, List<Integer> postSizes, int seeds, boolean resend) {

    static final int MAX_CONNECTIONS = 1000;
    static final long MAX_DURATION_MS = 3_600_000;
    /** Also the record limit of a run bounded only by time: about 150 MB of RequestLog. */
    static final long MAX_REQUESTS = 5_000_000;
    static final long DEFAULT_DURATION_MS = 10_000;
    static final int MAX_SEEDS = 64;
    static final int DEFAULT_SEEDS = 4;

    static final String USAGE = """
            usage: java -jar bench.jar [options]
              --url=http://127.0.0.1:8080/path   target, instead of --host/--port/--path
              --host=ADDR            loopback address or name (default 127.0.0.1)
              --port=N               (default 8080)
              --path=/P              GET this path and query, status checked (default /)
              --sizes=N,N,...        instead: GET /bytes?size=N&seed=S, body checked byte for byte
              --framing=length|chunked|both
                                     /bytes answers with a Content-Length, chunked, or each in turn
                                     (default both)
              --post-sizes=N,N,...   also (or instead): POST /echo with a body of N bytes, the answer
                                     (its length and CRC-32) checked
              --seeds=N              variants of each body, 1-%d (default %d)
              --connections=N        concurrent clients, 1-%d (default 4)
              --duration=SECONDS     start requests for this long (default %d s unless --requests is given;
                                     never more than %d s)
              --requests=N           total requests, 1-%d (default: up to that limit)
              --mode=keepalive|close reuse each client's connection, or one connection per request
                                     (default keepalive)
              --timeout-ms=N         bound on each request, connect included (default 5000)
              --rate=R               total requests per second (default 0: as fast as possible)
              --resend=off|idle-close
                                     idle-close: send a GET again on a new connection when a reused one
                                     ended before any byte of its answer, as many clients do; such a
                                     request still fails the run, counted as "resent" (default off)
              --out=DIR              write summary.json, timeline.csv, failures.csv there
              --raw                  also write requests.csv (every request) to --out
              --marks=FILE           "epoch_ms label" lines (e.g. written when SIGHUP was sent),
                                     read after the run and merged into the outputs
              --progress             one line a second on stderr
            exit status: 0 every request succeeded at the first try, 1 some failed or were resent, 2 bad usage,
            3 output not written
            """.formatted(MAX_SEEDS, DEFAULT_SEEDS, MAX_CONNECTIONS, DEFAULT_DURATION_MS / 1000, MAX_DURATION_MS / 1000,
            MAX_REQUESTS);

    LoadOptions {
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException("refusing non-loopback target " + host + " ("
                    + address.getHostAddress() + "): this tool only loads servers on this machine");
        }
        requireRange("--port", port, 1, 65535);
        requireRange("--connections", connections, 1, MAX_CONNECTIONS);
        requireRange("--duration (ms)", durationMs, 1, MAX_DURATION_MS);
        requireRange("--requests", requests, 1, MAX_REQUESTS);
        requireRange("--timeout-ms", timeoutMs, 1, 600_000);
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("--rate must be a non-negative number: " + rate);
        }
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f)) {
            throw new IllegalArgumentException("--path must start with / and contain no spaces or"
                    + " control characters: " + path);
        }
        if (raw && outDir == null) {
            throw new IllegalArgumentException("--raw needs --out");
        }
        sizes = List.copyOf(sizes);
        postSizes = List.copyOf(postSizes);
        requireRange("--seeds", seeds, 1, MAX_SEEDS);
    }

    /** The requests to cycle through: see Workload. */
    Workload workload() {
        return sizes.isEmpty() && postSizes.isEmpty()
                ? Workload.plainGet(host, port, path, mode)
                : Workload.checked(host, port, mode, sizes, framing, postSizes, seeds);
    }

    private static void requireRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ": " + value);
        }
    }

    /** Parses the command line; throws IllegalArgumentException with a message naming the option. */
    static LoadOptions parse(String... args) {
        String host = "127.0.0.1";
        int port = 8080;
        String path = "/";
        int connections = 4;
        Long durationMs = null;
        Long requests = null;
        Mode mode = Mode.KEEPALIVE;
        int timeoutMs = 5000;
        double rate = 0;
        Path outDir = null;
        Path marks = null;
        boolean raw = false;
        boolean progress = false;
        boolean pathGiven = false;
        List<Integer> sizes = List.of();
        List<Integer> postSizes = List.of();
        Workload.Framing framing = Workload.Framing.BOTH;
        int seeds = DEFAULT_SEEDS;
        boolean resend = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--raw")) {
                raw = true;
                continue;
            }
            if (arg.equals("--progress")) {
                progress = true;
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq > 0 ? arg.substring(0, eq) : arg;
            if (!name.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + arg);
            }
            String value;
            if (eq > 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length && isKnown(name)) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(isKnown(name) ? name + " needs a value" : "unknown option: " + arg);
            }
            switch (name) {
                case "--url" -> {
                    URI uri = parseUrl(value);
                    host = uri.getHost().replaceAll("^\\[|\\]$", "");
                    port = uri.getPort() < 0 ? 80 : uri.getPort();
                    String rawPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
                    path = uri.getRawQuery() == null ? rawPath : rawPath + "?" + uri.getRawQuery();
                    pathGiven |= !path.equals("/");
                }
                case "--host" -> host = value;
                case "--port" -> port = (int) parseLong(name, value);
                case "--path" -> {
                    path = value;
                    pathGiven = true;
                }
                case "--sizes" -> sizes = sizes(name, value);
                case "--post-sizes" -> postSizes = sizes(name, value);
                case "--framing" -> framing = Workload.Framing.parse(value);
                case "--seeds" -> seeds = (int) parseLong(name, value);
                case "--resend" -> resend = switch (value) {
                    case "off" -> false;
                    case "idle-close" -> true;
                    default -> throw new IllegalArgumentException("--resend expects off or idle-close, got: " + value);
                };
                case "--connections" -> connections = (int) parseLong(name, value);
                case "--duration" -> durationMs = Math.round(parseDouble(name, value) * 1000);
                case "--requests" -> requests = parseLong(name, value);
                case "--mode" -> mode = Mode.parse(value.toLowerCase(Locale.ROOT));
                case "--timeout-ms" -> timeoutMs = (int) parseLong(name, value);
                case "--rate" -> rate = parseDouble(name, value);
                case "--out" -> outDir = Path.of(value);
                case "--marks" -> marks = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option: " + arg);
            }
        }
        if (pathGiven && !(sizes.isEmpty() && postSizes.isEmpty())) {
            throw new IllegalArgumentException("--path (or a path in --url) and --sizes/--post-sizes exclude each other:"
                    + " the checked requests have their own paths");
        }
        long duration = durationMs != null ? durationMs : requests != null ? MAX_DURATION_MS : DEFAULT_DURATION_MS;
        return new LoadOptions(host, resolve(host), port, path, connections, duration,
                requests != null ? requests : MAX_REQUESTS, mode, timeoutMs, rate, outDir, marks, raw, progress,
                sizes, framing, postSizes, seeds, resend);
    }

    /** A comma-separated list of body sizes in bytes, each 0 to Bodies.MAX_SIZE. */
    private static List<Integer> sizes(String name, String value) {
        List<Integer> out = new ArrayList<>();
        for (String part : value.split(",")) {
            long size = parseLong(name, part.strip());
            requireRange(name, size, 0, Bodies.MAX_SIZE);
            out.add((int) size);
        }
        return List.copyOf(out);
    }

    private static boolean isKnown(String name) {
        return switch (name) {
            case "--url", "--host", "--port", "--path", "--connections", "--duration", "--requests", "--mode",
                    "--timeout-ms", "--rate", "--out", "--marks", "--sizes", "--post-sizes", "--framing", "--seeds",
                    "--resend" -> true;
            default -> false;
        };
    }

    private static URI parseUrl(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (Exception e) {
            throw new IllegalArgumentException("--url is not a URL: " + value);
        }
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("--url expects http://HOST[:PORT]/PATH, got: " + value);
        }
        return uri;
    }

    private static InetAddress resolve(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve --host " + host);
        }
    }

    private static long parseLong(String name, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " expects a whole number, got: " + value);
        }
    }

    private static double parseDouble(String name, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " expects a number, got: " + value);
        }
    }

    String targetUrl() {
        String hostPart = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + hostPart + ":" + port + path;
    }
}
