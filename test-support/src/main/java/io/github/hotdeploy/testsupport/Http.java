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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP on plain sockets, nothing pooled, nothing retried: a test sees every connection. An
 * instance is one HTTP/1.1 keep-alive connection; {@link #get} makes one request on a new one,
 * {@link #getToClose} one HTTP/1.0 request over TCP or a unix socket.
 */
public final class Http implements AutoCloseable {

    /** Status and body of a complete response. */
    public record Response(int status, String body) {
        /** The answering process, from the GET / body: the demo app's {@code "pid":N}, the test apps' {@code pid=N}. */
        public long pid() {
            Matcher m = Pattern.compile("\\bpid\"?[:=](\\d+)").matcher(body);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        }
    }

    private final Socket socket = new Socket();

    public Http(int port) throws IOException {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(120_000);
    }

    public int localPort() {
        return socket.getLocalPort();
    }

    public void send(String path) throws IOException {
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    public Response receive() throws IOException {
        InputStream in = socket.getInputStream();
        String head = readHead(in);
        int status = Integer.parseInt(head.split(" ", 3)[1]);
        Matcher length = Pattern.compile("(?i)\r\ncontent-length:\\s*(\\d+)").matcher(head);
        if (!length.find()) {
            throw new IOException("no Content-Length in " + head);
        }
        byte[] body = in.readNBytes(Integer.parseInt(length.group(1)));
        return new Response(status, new String(body, StandardCharsets.UTF_8));
    }

    /**
     * Whether the server has ended its side (a FIN, no bytes before it), looking for at most
     * {@code waitMs}. For a connection with no request outstanding.
     */
    public boolean endedByServer(int waitMs) throws IOException {
        int before = socket.getSoTimeout();
        socket.setSoTimeout(waitMs);
        try {
            int b = socket.getInputStream().read();
            if (b >= 0) {
                throw new IOException("unexpected byte " + b + " on an idle connection");
            }
            return true;
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        } finally {
            socket.setSoTimeout(before);
        }
    }

    /** {@link #receive()} on another thread, for a response that is to come later. */
    public java.util.concurrent.CompletableFuture<Response> receiveLater() {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return receive();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** GET on a new connection, closed afterwards. */
    public static Response get(int port, String path) throws IOException {
        try (Http http = new Http(port)) {
            http.send(path);
            return http.receive();
        }
    }

    private static final Duration TO_CLOSE_TIMEOUT = Duration.ofSeconds(20);

    /**
     * One HTTP/1.0 GET on a fresh connection, the body being everything up to the server's close
     * (HTTP/1.0 rules out chunked replies). Deliberately not kept alive: a kept-alive connection
     * would stay with the old generation and hide whether the new one serves.
     */
    public static Response getToClose(Listen listen, String target) throws IOException {
        byte[] request = ("GET " + target + " HTTP/1.0\r\nHost: localhost\r\nUser-Agent: integration-tests\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        return parseToClose(listen.isUnix() ? toCloseOverUnixSocket(listen, request) : toCloseOverTcp(listen, request));
    }

    private static byte[] toCloseOverTcp(Listen listen, byte[] request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", listen.port()), (int) TO_CLOSE_TIMEOUT.toMillis());
            socket.setSoTimeout((int) TO_CLOSE_TIMEOUT.toMillis());
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return socket.getInputStream().readAllBytes();
        }
    }

    private static byte[] toCloseOverUnixSocket(Listen listen, byte[] request) throws IOException {
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
            long deadline = System.nanoTime() + TO_CLOSE_TIMEOUT.toNanos();
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (true) {
                long leftMs = (deadline - System.nanoTime()) / 1_000_000;
                if (leftMs <= 0) {
                    throw new SocketTimeoutException("no complete reply from " + listen + " within " + TO_CLOSE_TIMEOUT);
                }
                selector.select(leftMs);
                selector.selectedKeys().clear();
                int n = channel.read(buffer);
                if (n < 0) {
                    return in.toByteArray();
                }
                in.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
        }
    }

    private static Response parseToClose(byte[] raw) throws IOException {
        String text = new String(raw, StandardCharsets.UTF_8);
        int headEnd = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/") || headEnd < 0) {
            throw new IOException("not an HTTP reply: '" + text + "'");
        }
        String[] statusLine = text.substring(0, text.indexOf("\r\n")).split(" ");
        return new Response(Integer.parseInt(statusLine[1]), text.substring(headEnd + 4));
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("end of stream inside the response head: " + head);
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
