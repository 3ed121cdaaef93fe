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
 * h2 ({@code h2load}). All run flat out: neither has a rate limit.
 */
final class ExternalClient {

    static final Set<String> NAMES = Set.of("wrk", "wrk-close", "wrk-post", "h2load");

    /** h2load stops only at the end of its -D duration and prints nothing on a signal: it runs in slices. */
    static final int H2LOAD_SLICE_SECONDS = 10;

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
            cmd.addAll(List.of("h2load", "-c", Integer.toString(connections), "-m", "1", "-D", Integer.toString(H2LOAD_SLICE_SECONDS),
                    "-T", Integer.toString(Math.max(1, timeoutMs / 1000)), baseUrl + getPath));
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
