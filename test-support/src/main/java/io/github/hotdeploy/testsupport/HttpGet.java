package io.github.hotdeploy.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One HTTP/1.0 GET on a fresh connection. Deliberately not a pooling client: a kept-alive
 * connection would stay with the old generation and hide whether the new one serves. HTTP/1.0
 * also rules out chunked replies, so the body is simply everything after the head.
 */
public final class HttpGet {

    public record Reply(int status, String body) {
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private HttpGet() {
    }

    public static Reply get(Listen listen, String target) throws IOException {
        byte[] request = ("GET " + target + " HTTP/1.0\r\nHost: localhost\r\nUser-Agent: integration-tests\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        return listen.isUnix() ? overUnixSocket(listen, request) : overTcp(listen, request);
    }

    private static Reply overTcp(Listen listen, byte[] request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", listen.port()), (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return parse(readAll(socket.getInputStream()));
        }
    }

    private static Reply overUnixSocket(Listen listen, byte[] request) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
             Selector selector = Selector.open()) {
            channel.connect(UnixDomainSocketAddress.of(listen.path()));
            ByteBuffer out = ByteBuffer.wrap(request);
            while (out.hasRemaining()) {
                channel.write(out);
            }
            // Unix channels have no socket timeout: read through a selector to bound a hung server.
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (true) {
                long leftMs = (deadline - System.nanoTime()) / 1_000_000;
                if (leftMs <= 0) {
                    throw new SocketTimeoutException("no complete reply from " + listen + " within " + TIMEOUT);
                }
                selector.select(leftMs);
                selector.selectedKeys().clear();
                int n = channel.read(buffer);
                if (n < 0) {
                    return parse(in.toByteArray());
                }
                in.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    private static Reply parse(byte[] raw) throws IOException {
        String text = new String(raw, StandardCharsets.UTF_8);
        int headEnd = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/") || headEnd < 0) {
            throw new IOException("not an HTTP reply: '" + text + "'");
        }
        String[] statusLine = text.substring(0, text.indexOf("\r\n")).split(" ");
        return new Reply(Integer.parseInt(statusLine[1]), text.substring(headEnd + 4));
    }
}
