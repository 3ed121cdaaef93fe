package io.github.hotdeploy.bench.restart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a proxy in front of start_server saw, from its own logs: how many requests it answered,
 * with which 5xx statuses, and how many it had to send upstream more than once (nginx: several
 * statuses in $upstream_status, "502, 200"; HAProxy: a retry count above 0). A zero-downtime
 * restart leaves no 5xx and no retry here.
 *
 * @param serverErrors  5xx statuses the proxy answered, by status, in order
 * @param errorLogLines upstream errors in nginx's error log, by message; for HAProxy, the abnormal
 *                      termination states of its log lines (%tsc other than ----), by state
 */
record ProxyLog(long requests, Map<Integer, Long> serverErrors, long retried, Map<String, Long> errorLogLines) {

    private static final Pattern NGINX = Pattern.compile("^(\\d{3}) (\\S+) \"([^\"]*)\"");
    private static final Pattern HAPROXY = Pattern.compile("HAPROXY (-?\\d+) \\+?(-?\\d+) (\\S{4}) (\\S+) ");
    private static final Pattern NGINX_ERROR = Pattern.compile("\\[(?:error|warn)\\] .*?\\*\\d+ (.*?)(?: while |, client:)");

    /** What fails a run: every 5xx and every retried request. */
    long verdictFailures() {
        return serverErrorTotal() + retried;
    }

    long serverErrorTotal() {
        return serverErrors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** "502: 3, retried 5" or "0 5xx, 0 retried". */
    String summary() {
        StringBuilder b = new StringBuilder();
        if (serverErrors.isEmpty()) {
            b.append("0 5xx");
        } else {
            serverErrors.forEach((status, n) -> b.append(b.length() == 0 ? "" : ", ").append(status).append(": ").append(n));
        }
        return b.append(", ").append(retried).append(" retried").toString();
    }

    static ProxyLog nginx(Path accessLog, Path errorLog) throws IOException {
        long requests = 0;
        long retried = 0;
        Map<Integer, Long> errors = new TreeMap<>();
        for (String line : lines(accessLog)) {
            Matcher m = NGINX.matcher(line);
            if (!m.find()) {
                continue;
            }
            requests++;
            int status = Integer.parseInt(m.group(1));
            if (status >= 500) {
                errors.merge(status, 1L, Long::sum);
            }
            // One status per upstream try, ", " between them (" : " between upstream groups).
            if (m.group(3).contains(",") || m.group(3).contains(" : ")) {
                retried++;
            }
        }
        Map<String, Long> errorLines = new TreeMap<>();
        for (String line : lines(errorLog)) {
            Matcher m = NGINX_ERROR.matcher(line);
            // Only upstream errors: nginx also warns of every request body it buffered to a file.
            if (m.find() && m.group(1).contains("upstream")) {
                errorLines.merge(m.group(1).replaceAll("\\d+", "N"), 1L, Long::sum);
            }
        }
        return new ProxyLog(requests, Collections.unmodifiableMap(errors), retried, Collections.unmodifiableMap(errorLines));
    }

    static ProxyLog haproxy(Path log) throws IOException {
        long requests = 0;
        long retried = 0;
        Map<Integer, Long> errors = new TreeMap<>();
        Map<String, Long> terminations = new TreeMap<>();
        for (String line : lines(log)) {
            Matcher m = HAPROXY.matcher(line);
            if (!m.find() || m.group(4).equals("<BADREQ>")) {
                // <BADREQ>: a connection that sent nothing (the harness's check that the proxy listens)
                continue;
            }
            requests++;
            if (!m.group(3).startsWith("--")) {
                terminations.merge(m.group(3), 1L, Long::sum);
            }
            int status = Integer.parseInt(m.group(1));
            if (status >= 500 || status < 0) {
                errors.merge(status, 1L, Long::sum);
            }
            if (Integer.parseInt(m.group(2)) > 0) {
                retried++;
            }
        }
        return new ProxyLog(requests, Collections.unmodifiableMap(errors), retried, Collections.unmodifiableMap(terminations));
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.isRegularFile(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    }
}
