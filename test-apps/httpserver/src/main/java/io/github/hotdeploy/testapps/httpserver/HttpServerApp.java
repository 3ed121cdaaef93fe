package io.github.hotdeploy.testapps.httpserver;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.hotdeploy.testapps.common.AppArgs;
import io.github.hotdeploy.testapps.common.Bodies;
import io.github.hotdeploy.testapps.common.Replies;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/** The JDK's built-in HTTP server (jdk.httpserver), selector-based, nothing else on the class path. */
public final class HttpServerApp {

    private HttpServerApp() {
    }

    public static void main(String[] args) throws IOException {
        AppArgs options = AppArgs.parse("httpserver", args);
        HttpServer server = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 0);
        server.createContext("/", HttpServerApp::handle);
        // The default executor is the dispatcher thread itself: one /sleep would block every client.
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    private static void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        int status = 200;
        String body;
        if ("POST".equals(exchange.getRequestMethod()) && Bodies.isEcho(path)) {
            byte[] received = exchange.getRequestBody().readAllBytes();
            body = Bodies.echo(received, received.length);
        } else if (Bodies.isBytes(path)) {
            Bodies.Query query = Bodies.Query.parse(exchange.getRequestURI().getRawQuery());
            byte[] bytes = query.body();
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            // A length of 0 asks for chunked encoding; -1 (nothing at all) for an empty fixed body.
            exchange.sendResponseHeaders(200, query.chunked() ? 0 : bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                if (query.chunked()) {
                    Bodies.writeInPieces(bytes, out);
                } else {
                    out.write(bytes);
                }
            }
            return;
        } else if ("/".equals(path)) {
            body = Replies.hello("httpserver");
        } else if (Replies.isSleep(path)) {
            long ms = Replies.sleepMillis(exchange.getRequestURI().getRawQuery());
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            body = Replies.slept("httpserver", ms);
        } else {
            status = 404;
            body = "not found\n";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
