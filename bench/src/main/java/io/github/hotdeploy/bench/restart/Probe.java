package io.github.hotdeploy.bench.restart;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One GET on a fresh connection ({@code Connection: close}), read to the end of the stream. Used
 * for readiness and for the in-flight check, never for load: the load generator does that.
 */
final class Probe {

    record Answer(int status, String body, long startMs, long endMs, String error) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private Probe() {
    }

    static Answer get(int port, String path, int timeoutMs) {
        return get(port, path, timeoutMs, false);
    }

    /** With {@code tls}, over https, trusting whatever key the server shows (a test key made for the run). */
    static Answer get(int port, String path, int timeoutMs, boolean tls) {
        long start = System.currentTimeMillis();
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress("127.0.0.1", port), timeoutMs);
            plain.setSoTimeout(timeoutMs);
            Socket s = tls ? TrustingTls.wrap(plain, port) : plain;
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return parse(all.toString(StandardCharsets.ISO_8859_1), start, System.currentTimeMillis());
        } catch (IOException e) {
            return new Answer(0, "", start, System.currentTimeMillis(), e.toString());
        }
    }

    static Answer parse(String raw, long start, long end) {
        if (!raw.startsWith("HTTP/1.")) {
            return new Answer(0, "", start, end, raw.isEmpty() ? "no response" : "not HTTP: " + raw.lines().findFirst().orElse(""));
        }
        int sp = raw.indexOf(' ');
        int status;
        try {
            status = Integer.parseInt(raw.substring(sp + 1, sp + 4));
        } catch (RuntimeException e) {
            return new Answer(0, "", start, end, "bad status line");
        }
        int body = raw.indexOf("\r\n\r\n");
        return new Answer(status, body < 0 ? "" : raw.substring(body + 4).strip(), start, end, null);
    }

    /** Polls GET / until a 2xx; the time of the first one, or -1 after the timeout. */
    static long awaitOk(int port, long timeoutMs, Child mustLive) throws InterruptedException {
        return awaitOk(port, timeoutMs, mustLive, false);
    }

    static long awaitOk(int port, long timeoutMs, Child mustLive, boolean tls) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            Answer a = get(port, "/", 2000, tls);
            if (a.ok()) {
                return a.endMs();
            }
            if (mustLive != null && !mustLive.alive()) {
                return -1;
            }
            Thread.sleep(20);
        }
        return -1;
    }
}
