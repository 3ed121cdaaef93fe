package io.github.hotdeploy.agent.it.apps;

import io.undertow.Undertow;
import java.nio.ByteBuffer;

/** Undertow 2.3 (XNIO). Usage: UndertowServer HOST PORT */
public final class UndertowServer {

    public static void main(String[] args) {
        Undertow server = Undertow.builder()
                .addHttpListener(Integer.parseInt(args[1]), args[0])
                .setHandler(exchange -> exchange.getResponseSender().send(ByteBuffer.wrap(FixtureServer.reply())))
                .build();
        server.start();
        System.out.println("fixture listening on " + server.getListenerInfo().get(0).getAddress());
    }
}
