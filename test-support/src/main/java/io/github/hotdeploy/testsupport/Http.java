package io.github.hotdeploy.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One HTTP/1.1 keep-alive request on a plain socket: nothing pooled, nothing retried. */
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
