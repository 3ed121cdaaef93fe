package io.github.hotdeploy.bench.restart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The clients we did not write, none of which ever sends a request again: wrk with keep-alive
 * ({@code wrk}), with a new connection per request ({@code wrk-close}: {@code -H 'Connection:
 * close'}), wrk sending POSTs with a body ({@code wrk-post}, a Lua script), and h2load over h2c or
 * h2 ({@code h2load}). wrk runs flat out. h2load opens {@code connections} new connections a
 * second, each sending {@link #H2LOAD_REQUESTS_PER_CONNECTION} requests back to back and closing:
 * a client of h2load that receives a GOAWAY stops and counts its next request as failed, since it
 * cannot move to a new connection (nghttp2's h2load.cc), where the RFC 9113 clients do. With
 * short connections h2load measures what a restart does to HTTP/2 requests; the long-lived
 * connection and its GOAWAY are Http2DrainIT's, with the JDK's HttpClient.
 */
final class ExternalClient {

    static final Set<String> NAMES = Set.of("wrk", "wrk-close", "wrk-post", "h2load");

    /** h2load prints nothing on a signal: it runs in slices of this many seconds of new connections. */
    static final int H2LOAD_SLICE_SECONDS = 10;

    /** Few enough that a connection ends well within the drain's grace period, even on a loaded machine. */
    static final int H2LOAD_REQUESTS_PER_CONNECTION = 10;

    private final String name;
    private final int connections;
    private final int timeoutMs;
    private final int postSize;

    ExternalClient(String name, int connections, int timeoutMs, int postSize) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown client '" + name + "'; known: " + String.join(",", NAMES));
        }
        this.name = name;
        this.connections = connections;
        this.timeoutMs = timeoutMs;
        this.postSize = postSize;
    }

    String name() {
        return name;
    }

    /** For the results table. */
    String label() {
        return switch (name) {
            case "wrk" -> "wrk keep-alive";
            case "wrk-close" -> "wrk new connection";
            case "wrk-post" -> "wrk POST " + postSize + " B";
            default -> "h2load";
        };
    }

    boolean http2() {
        return name.equals("h2load");
    }

    /**
     * The command of one run (wrk: until SIGINT, with -d only as an upper bound; h2load: one
     * slice). {@code getPath} is what GETs ask for.
     */
    List<String> command(String baseUrl, String getPath, Path dir) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (name.equals("h2load")) {
            int clients = connections * H2LOAD_SLICE_SECONDS;
            cmd.addAll(List.of("h2load", "-c", Integer.toString(clients), "-r", Integer.toString(connections),
                    "-n", Integer.toString(clients * H2LOAD_REQUESTS_PER_CONNECTION), "-m", "1", baseUrl + getPath));
            return cmd;
        }
        cmd.addAll(List.of("wrk", "-t1", "-c" + connections, "-d3600s", "--latency", "--timeout", Math.max(1, timeoutMs / 1000) + "s"));
        switch (name) {
            case "wrk-close" -> cmd.addAll(List.of("-H", "Connection: close", baseUrl + getPath));
            case "wrk-post" -> cmd.addAll(List.of("-s", postScript(dir).toString(), baseUrl + "/echo"));
            default -> cmd.add(baseUrl + getPath);
        }
        return cmd;
    }

    /** wrk's Lua: every request a POST of postSize bytes (the test apps answer its length and CRC). */
    private Path postScript(Path dir) throws IOException {
        Path script = dir.resolve("post.lua");
        Files.writeString(script, "-- written by the restart harness: POST /echo with a body of " + postSize + " bytes\n"
                + "wrk.method = \"POST\"\n"
                + "wrk.headers[\"Content-Type\"] = \"application/octet-stream\"\n"
                + "wrk.body = string.rep(\"abcdefgh\", " + (postSize / 8) + ") .. string.rep(\"x\", " + (postSize % 8) + ")\n",
                StandardCharsets.UTF_8);
        return script;
    }

    /** Totals over everything the client printed (h2load: the sum of its slices); null if it printed none. */
    ClientTotals parse(String output) {
        if (!name.equals("h2load")) {
            WrkResult w = WrkResult.parse(output);
            return w == null ? null : w.totals();
        }
        ClientTotals sum = null;
        for (String slice : output.split("(?=finished in )")) {
            ClientTotals t = H2loadResult.parse(slice);
            if (t == null) {
                continue;
            }
            if (sum == null) {
                sum = t;
                continue;
            }
            Map<String, Long> errors = new LinkedHashMap<>(sum.errors());
            t.errors().forEach((k, v) -> errors.merge(k, v, Long::sum));
            sum = new ClientTotals(sum.requests() + t.requests(), sum.non2xx() + t.non2xx(), errors, -1, -1);
        }
        return sum;
    }
}
