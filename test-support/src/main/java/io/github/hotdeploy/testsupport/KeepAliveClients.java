package io.github.hotdeploy.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP/1.1 clients that keep their connections alive and never send a request twice: what a
 * restart must not disturb. Each client sends a request, reads the whole response (Content-Length
 * or chunked), and goes on on the same connection until a response says {@code Connection: close};
 * then it closes, as HTTP requires, and opens a new connection. Anything else that ends a request
 * (end of stream or a reset before the response is complete, a timeout, a malformed response) is
 * a failure, recorded with what happened: nothing is retried.
 */
public final class KeepAliveClients implements AutoCloseable {

    /** Bound on one request: connect, send, the whole response. */
    private static final int TIMEOUT_MS = 30_000;

    private final int port;
    private final String path;
    private final long pauseMillis;
    private final javax.net.ssl.SSLSocketFactory tls; // null: plain HTTP
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicInteger endedByServer = new AtomicInteger();
    private final AtomicInteger finAfterClose = new AtomicInteger();
    private final List<String> failures = new ArrayList<>();
    private volatile boolean stopping;

    private KeepAliveClients(int port, String path, long pauseMillis, javax.net.ssl.SSLSocketFactory tls) {
        this.port = port;
        this.path = path;
        this.pauseMillis = pauseMillis;
        this.tls = tls;
    }

    /**
     * Starts {@code count} clients sending {@code GET path} to 127.0.0.1:{@code port}, each pausing
     * {@code pauseMillis} between requests (0: flat out).
     */
    public static KeepAliveClients start(int port, String path, int count, long pauseMillis) {
        return start(port, path, count, pauseMillis, null);
    }

    /** The same over https, trusting whatever certificate the server shows (a test's self-signed one). */
    public static KeepAliveClients startTls(int port, String path, int count, long pauseMillis) {
        return start(port, path, count, pauseMillis, trustingEverything());
    }

    /** One https GET on a fresh connection answered with a 2xx or 3xx; false on any failure. */
    public static boolean httpsGetSucceeds(int port, String path) {
        try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), port);
                Socket socket = trustingEverything().createSocket(plain, "127.0.0.1", port, true)) {
            socket.setSoTimeout(TIMEOUT_MS);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            int status = read(socket.getInputStream()).status;
            return status >= 200 && status < 400;
        } catch (IOException e) {
            return false;
        }
    }

    private static javax.net.ssl.SSLSocketFactory trustingEverything() {
        try {
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {new TrustEverything()}, null);
            return context.getSocketFactory();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeepAliveClients start(int port, String path, int count, long pauseMillis,
            javax.net.ssl.SSLSocketFactory tls) {
        KeepAliveClients clients = new KeepAliveClients(port, path, pauseMillis, tls);
        for (int i = 0; i < count; i++) {
            Thread t = new Thread(clients::run, "keep-alive-client-" + i);
            t.setDaemon(true);
            clients.threads.add(t);
            t.start();
        }
        return clients;
    }

    /** Complete responses received. */
    public long ok() {
        return ok.get();
    }

    /** Connections the server ended with a response that said {@code Connection: close}. */
    public int endedByServer() {
        return endedByServer.get();
    }

    /**
     * Of those, how many the server also closed right after (end of stream seen within 2 s; over
     * TLS the drain leaves that to the client, which closes as HTTP requires).
     */
    public int finAfterClose() {
        return finAfterClose.get();
    }

    /** Every request that did not get its complete response, with what happened instead. */
    public synchronized List<String> failures() {
        return List.copyOf(failures);
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        for (Thread t : threads) {
            t.join(TIMEOUT_MS + 5_000L);
        }
    }

    private synchronized void fail(String what) {
        failures.add(what);
    }

    private void run() {
        Socket socket = null;
        int onConnection = 0;
        try {
            while (!stopping) {
                if (socket == null) {
                    socket = new Socket(InetAddress.getLoopbackAddress(), port);
                    socket.setSoTimeout(TIMEOUT_MS);
                    if (tls != null) {
                        socket = tls.createSocket(socket, "127.0.0.1", port, true);
                    }
                    onConnection = 0;
                }
                Response response;
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    response = read(socket.getInputStream());
                } catch (IOException e) {
                    fail(describe(e) + " on a connection that had carried " + onConnection + " response(s)");
                    closeQuietly(socket);
                    socket = null;
                    continue;
                }
                onConnection++;
                if (response.status >= 200 && response.status < 400) {
                    ok.incrementAndGet();
                } else {
                    fail("status " + response.status);
                }
                if (response.close) {
                    endedByServer.incrementAndGet();
                    if (endsWithin(socket, 2_000)) {
                        finAfterClose.incrementAndGet();
                    }
                    closeQuietly(socket);
                    socket = null;
                }
                if (pauseMillis > 0) {
                    Thread.sleep(pauseMillis);
                }
            }
        } catch (IOException e) {
            // cannot connect: nobody listens at all
            fail("connect: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(socket);
        }
    }

    private static boolean endsWithin(Socket socket, int millis) {
        try {
            socket.setSoTimeout(millis);
            return socket.getInputStream().read() == -1;
        } catch (IOException e) {
            return false;
        }
    }

    private static String describe(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return "timeout";
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private record Response(int status, boolean close, byte[] body) {
    }

    private static final class TrustEverything implements javax.net.ssl.X509TrustManager {
        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
        }

        @Override
        public java.security.cert.X509Certificate[] getAcceptedIssuers() {
            return new java.security.cert.X509Certificate[0];
        }
    }

    /** One whole response; an end of stream anywhere before its last byte is an EOFException. */
    static Response read(InputStream in) throws IOException {
        String statusLine = line(in, "before the status line");
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        long length = -1;
        boolean chunked = false;
        boolean close = parts[0].equals("HTTP/1.0");
        for (String header = line(in, "in the header"); !header.isEmpty(); header = line(in, "in the header")) {
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.endsWith("chunked");
                case "connection" -> {
                    for (String token : value.split(",")) {
                        if (token.trim().equals("close")) {
                            close = true;
                        } else if (token.trim().equals("keep-alive")) {
                            close = false;
                        }
                    }
                }
                default -> { }
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (status == 204 || status == 304 || (status >= 100 && status < 200)) {
            return new Response(status, close, body.toByteArray());
        }
        if (chunked) {
            while (true) {
                String size = line(in, "in a chunk size line");
                int n = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (n == 0) {
                    while (!line(in, "in the trailer").isEmpty()) {
                        // trailers
                    }
                    break;
                }
                copy(in, body, n, "in a chunk");
                line(in, "after a chunk");
            }
        } else if (length >= 0) {
            copy(in, body, length, "in the body");
        } else {
            throw new IOException("a response without framing (it would end with the close)");
        }
        return new Response(status, close, body.toByteArray());
    }

    private static void copy(InputStream in, ByteArrayOutputStream out, long n, String where) throws IOException {
        byte[] buffer = new byte[8192];
        long left = n;
        while (left > 0) {
            int r = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (r < 0) {
                throw new EOFException("end of stream " + where + " (" + (n - left) + " of " + n + " bytes)");
            }
            out.write(buffer, 0, r);
            left -= r;
        }
    }

    private static String line(InputStream in, String where) throws IOException {
        StringBuilder s = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("end of stream " + where + (s.length() == 0 ? "" : " after '" + s + "'"));
            }
            if (b == '\n') {
                int end = s.length();
                return end > 0 && s.charAt(end - 1) == '\r' ? s.substring(0, end - 1) : s.toString();
            }
            s.append((char) b);
        }
    }
}
