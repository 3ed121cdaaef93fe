package io.github.hotdeploy.demo;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** The few ways the handlers answer; every answer has a length, so keep-alive keeps working. */
final class Responses {

    private Responses() {
    }

    static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static void text(HttpExchange exchange, int status, String body) throws IOException {
        send(exchange, status, "text/plain; charset=utf-8", body);
    }

    static void json(HttpExchange exchange, String body) throws IOException {
        send(exchange, 200, "application/json", body);
    }

    /**
     * Rejects anything but a GET of exactly the handler's path (an httpserver context matches
     * every path under its prefix). Returns true when the exchange has been answered.
     */
    static boolean rejectUnlessGet(HttpExchange exchange, String path) throws IOException {
        if (!exchange.getRequestURI().getPath().equals(path)) {
            text(exchange, 404, "not found\n");
            return true;
        }
        if (!exchange.getRequestMethod().equals("GET")) {
            exchange.getResponseHeaders().set("Allow", "GET");
            text(exchange, 405, "method not allowed\n");
            return true;
        }
        return false;
    }
}
