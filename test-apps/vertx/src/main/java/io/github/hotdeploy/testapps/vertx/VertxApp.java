package io.github.hotdeploy.testapps.vertx;

import io.github.hotdeploy.testapps.common.AppArgs;
import io.github.hotdeploy.testapps.common.Bodies;
import io.github.hotdeploy.testapps.common.Replies;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * A Vert.x 5 HTTP server as its guide writes one: one verticle-less server, one request handler
 * on the event loop. Vert.x decides keep-alive itself (Http1xServerConnection), not through
 * Netty's HttpServerKeepAliveHandler.
 */
public final class VertxApp {

    private VertxApp() {
    }

    public static void main(String[] args) {
        AppArgs options = AppArgs.parse("vertx", args);
        Vertx vertx = Vertx.vertx();
        vertx.createHttpServer()
                .requestHandler(request -> handle(vertx, request))
                .listen(options.port(), options.host())
                .onFailure(e -> {
                    System.err.println("vertx: cannot listen on " + options.host() + ":" + options.port() + ": " + e);
                    System.exit(1);
                });
    }

    private static void handle(Vertx vertx, HttpServerRequest request) {
        String path = request.path();
        HttpServerResponse response = request.response().putHeader("Content-Type", "text/plain; charset=utf-8");
        if (request.method() == HttpMethod.POST && Bodies.isEcho(path)) {
            request.body().onSuccess(body -> {
                byte[] received = body.getBytes();
                response.end(Bodies.echo(received, received.length));
            });
        } else if (Bodies.isBytes(path)) {
            Bodies.Query query = Bodies.Query.parse(request.query());
            byte[] bytes = query.body();
            if (!query.chunked()) {
                response.end(Buffer.buffer(bytes));
                return;
            }
            response.setChunked(true);
            int piece = Bodies.pieceSize(bytes.length);
            for (int off = 0; off < bytes.length; off += piece) {
                response.write(Buffer.buffer(bytes).getBuffer(off, Math.min(bytes.length, off + piece)));
            }
            response.end();
        } else if ("/".equals(path)) {
            response.end(Replies.hello("vertx"));
        } else if (Replies.isSleep(path)) {
            long ms = Replies.sleepMillis(request.query());
            // Never block the event loop: a timer answers.
            vertx.setTimer(Math.max(1, ms), id -> response.end(Replies.slept("vertx", ms)));
        } else {
            response.setStatusCode(404).end("not found\n");
        }
    }
}
