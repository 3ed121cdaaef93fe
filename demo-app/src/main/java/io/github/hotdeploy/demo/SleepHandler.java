package io.github.hotdeploy.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;

/** GET /sleep?ms=N: a slow request, to see whether a restart lets in-flight requests finish. */
final class SleepHandler implements HttpHandler {

    /** A bound so that a typo cannot park a worker thread for hours. */
    static final long MAX_MS = 60_000;

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (Responses.rejectUnlessGet(exchange, "/sleep")) {
            return;
        }
        long ms;
        try {
            ms = parseMs(exchange.getRequestURI().getRawQuery());
        } catch (IllegalArgumentException e) {
            Responses.text(exchange, 400, e.getMessage() + "\n");
            return;
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Responses.text(exchange, 503, "interrupted\n");
            return;
        }
        Responses.text(exchange, 200, "slept " + ms + " ms\n");
    }

    static long parseMs(String query) {
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("ms=")) {
                    long ms;
                    try {
                        ms = Long.parseLong(pair.substring(3));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("ms must be a whole number of milliseconds");
                    }
                    if (ms < 0 || ms > MAX_MS) {
                        throw new IllegalArgumentException("ms must be between 0 and " + MAX_MS);
                    }
                    return ms;
                }
            }
        }
        throw new IllegalArgumentException("missing parameter: ms (e.g. /sleep?ms=500)");
    }
}
