package io.github.hotdeploy.testapps.undertow;

import io.github.hotdeploy.testapps.common.AppArgs;
import io.github.hotdeploy.testapps.common.Bodies;
import io.github.hotdeploy.testapps.common.Replies;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.nio.ByteBuffer;
import io.undertow.util.StatusCodes;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;

/**
 * Undertow's builder API with one HTTP listener, as most embedders use it. {@code /ws} is a
 * WebSocket that answers each text message with {@code <pid> <message>}, so that a client can
 * tell which generation holds its connection.
 */
public final class UndertowApp {

    private UndertowApp() {
    }

    public static void main(String[] args) {
        AppArgs options = AppArgs.parse("undertow", args);
        Undertow.builder()
                .addHttpListener(options.port(), options.host())
                .setHandler(Handlers.path(new Hello()).addExactPath("/ws", Handlers.websocket((exchange, channel) -> {
                    channel.getReceiveSetter().set(new Echo());
                    channel.resumeReceives();
                })))
                .build()
                .start();
    }

    private static final class Echo extends AbstractReceiveListener {
        private static final String PID = Long.toString(ProcessHandle.current().pid());

        @Override
        protected void onFullTextMessage(WebSocketChannel channel, BufferedTextMessage message) {
            WebSockets.sendText(PID + " " + message.getData(), channel, null);
        }
    }

    private static final class Hello implements HttpHandler {
        @Override
        public void handleRequest(HttpServerExchange exchange) throws Exception {
            String path = exchange.getRequestPath();
            String body;
            boolean echo = exchange.getRequestMethod().equals(Methods.POST) && Bodies.isEcho(path);
            if ((echo || Bodies.isBytes(path)) && exchange.isInIoThread()) {
                // Blocking reads and writes are not allowed on an XNIO I/O thread.
                exchange.dispatch(this);
                return;
            }
            if (echo) {
                exchange.startBlocking();
                byte[] received = exchange.getInputStream().readAllBytes();
                body = Bodies.echo(received, received.length);
            } else if (Bodies.isBytes(path)) {
                Bodies.Query query = Bodies.Query.parse(exchange.getQueryString());
                byte[] bytes = query.body();
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
                if (query.chunked()) {
                    exchange.startBlocking();
                    Bodies.writeInPieces(bytes, exchange.getOutputStream());
                    exchange.endExchange();
                } else {
                    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, bytes.length);
                    exchange.getResponseSender().send(ByteBuffer.wrap(bytes));
                }
                return;
            } else if ("/".equals(path)) {
                body = Replies.hello("undertow");
            } else if (Replies.isSleep(path)) {
                if (exchange.isInIoThread()) {
                    // Sleeping on an XNIO I/O thread would stall every connection it owns.
                    exchange.dispatch(this);
                    return;
                }
                long ms = Replies.sleepMillis(exchange.getQueryString());
                Thread.sleep(ms);
                body = Replies.slept("undertow", ms);
            } else {
                exchange.setStatusCode(StatusCodes.NOT_FOUND);
                body = "not found\n";
            }
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
            exchange.getResponseSender().send(body);
        }
    }
}
