package io.github.hotdeploy.bench.restart;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What h2load (nghttp2) printed at the end of a run. h2load never resends a request: a stream
 * that ends in an error, a reset or a GOAWAY that excluded it is "errored"; a response with a
 * status other than 2xx/3xx is "failed" (h2load's "failed" includes "errored"). No percentiles.
 */
final class H2loadResult {

    private static final Pattern REQUESTS = Pattern.compile(
            "requests: (\\d+) total, (\\d+) started, (\\d+) done, (\\d+) succeeded, (\\d+) failed, (\\d+) errored, (\\d+) timeout");

    private H2loadResult() {
    }

    /** Null if the output has no summary. */
    static ClientTotals parse(String out) {
        Matcher m = REQUESTS.matcher(out);
        if (!m.find()) {
            return null;
        }
        long done = Long.parseLong(m.group(3));
        long failed = Long.parseLong(m.group(5));
        long errored = Long.parseLong(m.group(6));
        long timeout = Long.parseLong(m.group(7));
        Map<String, Long> errors = new LinkedHashMap<>();
        errors.put("errored", errored);
        errors.put("timeout", timeout);
        // Completed responses: done minus the errored ones; the non-2xx among them are failed minus errored.
        return new ClientTotals(done - errored, failed - errored, errors, -1, -1);
    }
}
