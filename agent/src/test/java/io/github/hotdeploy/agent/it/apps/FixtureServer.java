package io.github.hotdeploy.agent.it.apps;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * An unmodified-looking server for the agent tests: binds the address it is given with one JDK
 * API and answers every connection with one line naming its pid and start_server generation.
 * Usage: {@code FixtureServer KIND ADDRESS} with KIND one of serversocket, channel, selector,
 * async, httpserver; ADDRESS {@code host:port} or {@code unix:/path}.
 */
public final class FixtureServer {

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        SocketAddress address = parse(args[1]);
        System.out.println("fixture " + kind + " binding " + address);
        switch (kind) {
            case "serversocket": serverSocket((InetSocketAddress) address); break;
            case "channel": channel(address, false); break;
            case "selector": channel(address, true); break;
            case "async": async((InetSocketAddress) address); break;
            case "httpserver": httpServer((InetSocketAddress) address); break;
            default: throw new IllegalArgumentException(kind);
        }
    }

    static SocketAddress parse(String text) {
        if (text.startsWith("unix:")) {
            return UnixDomainSocketAddress.of(text.substring(5));
        }
        int colon = text.lastIndexOf(':');
        return new InetSocketAddress(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
    }

    static byte[] reply() {
        return ("pid=" + ProcessHandle.current().pid() + " gen=" + System.getenv("SERVER_STARTER_GENERATION") + "\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static void serverSocket(InetSocketAddress address) throws IOException {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(address);
            System.out.println("fixture listening on " + server.getLocalSocketAddress());
            while (true) {
                try (Socket socket = server.accept(); OutputStream out = socket.getOutputStream()) {
                    out.write(reply());
                }
            }
        }
    }

    private static void channel(SocketAddress address, boolean selector) throws IOException {
        ServerSocketChannel server = address instanceof UnixDomainSocketAddress
                ? ServerSocketChannel.open(StandardProtocolFamily.UNIX) : ServerSocketChannel.open();
        if (selector) {
            server.configureBlocking(false); // before bind, as Netty and XNIO do
        }
        server.bind(address);
        System.out.println("fixture listening on " + server.getLocalAddress() + " blocking=" + server.isBlocking());
        if (!selector) {
            while (true) {
                try (SocketChannel client = server.accept()) {
                    client.write(ByteBuffer.wrap(reply()));
                }
            }
        }
        Selector sel = Selector.open();
        server.register(sel, SelectionKey.OP_ACCEPT);
        while (true) {
            sel.select();
            sel.selectedKeys().clear();
            SocketChannel client;
            while ((client = server.accept()) != null) {
                try (SocketChannel c = client) {
                    c.configureBlocking(true);
                    c.write(ByteBuffer.wrap(reply()));
                }
            }
        }
    }

    private static void async(InetSocketAddress address) throws Exception {
        AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open().bind(address);
        System.out.println("fixture listening on " + server.getLocalAddress());
        server.accept(null, new CompletionHandler<AsynchronousSocketChannel, Void>() {
            @Override
            public void completed(AsynchronousSocketChannel client, Void unused) {
                server.accept(null, this);
                client.write(ByteBuffer.wrap(reply()), null, new CompletionHandler<Integer, Void>() {
                    @Override
                    public void completed(Integer written, Void v) {
                        try { client.close(); } catch (IOException ignored) { }
                    }

                    @Override
                    public void failed(Throwable t, Void v) {
                        try { client.close(); } catch (IOException ignored) { }
                    }
                });
            }

            @Override
            public void failed(Throwable t, Void unused) {
                t.printStackTrace();
            }
        });
        new CountDownLatch(1).await();
    }

    private static void httpServer(InetSocketAddress address) throws IOException {
        HttpServer server = HttpServer.create(address, 0);
        server.createContext("/", exchange -> {
            byte[] body = reply();
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        System.out.println("fixture listening on " + server.getAddress());
    }
}
