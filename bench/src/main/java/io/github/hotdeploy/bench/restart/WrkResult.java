package io.github.hotdeploy.bench.restart;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What wrk printed at the end of a run: a client that never resends a request (it counts an error
 * and reconnects). wrk keeps no per-request record, so there are no windows, only totals. With
 * {@code -H 'Connection: close'} wrk reconnects after each complete response (http_should_keep_alive)
 * and counts no error for a server's close after it: its counts mean the same in that mode.
 */
record WrkResult(long requests, long connectErrors, long readErrors, long writeErrors, long timeouts, long non2xx3xx,
                 double p50Ms, double p99Ms, String raw) {

    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ");
    private static final Pattern SOCKET = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern NON2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern P50 = Pattern.compile("(?m)^\\s*50%\\s+([\\d.]+)(us|ms|s)\\s*$");
    private static final Pattern P99 = Pattern.compile("(?m)^\\s*99%\\s+([\\d.]+)(us|ms|s)\\s*$");

    long socketErrors() {
        return connectErrors + readErrors + writeErrors + timeouts;
    }

    ClientTotals totals() {
        java.util.Map<String, Long> errors = new java.util.LinkedHashMap<>();
        errors.put("connect", connectErrors);
        errors.put("read", readErrors);
        errors.put("write", writeErrors);
        errors.put("timeout", timeouts);
        return new ClientTotals(requests, non2xx3xx, errors, p50Ms, p99Ms);
    }

    /** Null if the output has no summary (wrk died, or never connected). */
    static WrkResult parse(String out) {
        Matcher m = REQUESTS.matcher(out);
        if (!m.find()) {
            return null;
        }
        long requests = Long.parseLong(m.group(1));
        long c = 0;
        long r = 0;
        long w = 0;
        long t = 0;
        Matcher s = SOCKET.matcher(out);
        if (s.find()) {
            c = Long.parseLong(s.group(1));
            r = Long.parseLong(s.group(2));
            w = Long.parseLong(s.group(3));
            t = Long.parseLong(s.group(4));
        }
        Matcher n = NON2XX.matcher(out);
        long non = n.find() ? Long.parseLong(n.group(1)) : 0;
        return new WrkResult(requests, c, r, w, t, non, ms(P50.matcher(out)), ms(P99.matcher(out)), out);
    }

    private static double ms(Matcher m) {
        if (!m.find()) {
            return -1;
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1000;
            case "s" -> v * 1000;
            default -> v;
        };
    }
}
