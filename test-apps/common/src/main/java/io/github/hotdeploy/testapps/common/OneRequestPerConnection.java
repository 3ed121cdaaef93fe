package io.github.hotdeploy.testapps.common;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The smallest HTTP/1.1 a hand-written accept loop needs: read one request (its head, and a body
 * announced by Content-Length), answer it, close. Keep-alive is not offered
 * ({@code Connection: close}), which every client handles; request bodies must have a
 * Content-Length (no chunked uploads).
 */
public final class OneRequestPerConnection {

    private static final int MAX_HEAD = 16 * 1024;

    private OneRequestPerConnection() {
    }

    /** Answers the request on this connection; the caller closes the streams. */
    public static void serve(String server, InputStream in, OutputStream out) throws IOException, InterruptedException {
        Head head = readHead(in);
        if (head == null) {
            return; // the client went away before a full request head
        }
        int q = head.target.indexOf('?');
        String path = q < 0 ? head.target : head.target.substring(0, q);
        String query = q < 0 ? null : head.target.substring(q + 1);
        if ("POST".equals(head.method) && Bodies.isEcho(path)) {
            if (head.contentLength < 0 || head.contentLength > Bodies.MAX_SIZE) {
                answer(out, "411 Length Required", "a body with a Content-Length, at most " + Bodies.MAX_SIZE + " bytes\n");
                return;
            }
            byte[] body = in.readNBytes((int) head.contentLength);
            if (body.length < head.contentLength) {
                return; // the client went away in the middle of its body
            }
            answer(out, "200 OK", Bodies.echo(body, body.length));
        } else if ("/".equals(path)) {
            answer(out, "200 OK", Replies.hello(server));
        } else if (Replies.isSleep(path)) {
            long ms = Replies.sleepMillis(query);
            Thread.sleep(ms);
            answer(out, "200 OK", Replies.slept(server, ms));
        } else if (Bodies.isBytes(path)) {
            Bodies.Query bytes = Bodies.Query.parse(query);
            if (bytes.chunked()) {
                answerChunked(out, bytes.body());
            } else {
                answer(out, "200 OK", bytes.body());
            }
        } else {
            answer(out, "404 Not Found", "not found\n");
        }
    }

    private static void answer(OutputStream out, String status, String body) throws IOException {
        answer(out, status, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void answer(OutputStream out, String status, byte[] body) throws IOException {
        String head = "HTTP/1.1 " + status + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    /** Each piece is a chunk of its own, flushed on its own: one response, several writes. */
    private static void answerChunked(OutputStream out, byte[] body) throws IOException {
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        int piece = Bodies.pieceSize(body.length);
        for (int off = 0; off < body.length; off += piece) {
            int n = Math.min(piece, body.length - off);
            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, off, n);
            out.write('\r');
            out.write('\n');
            out.flush();
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** The request line and Content-Length. */
    private record Head(String method, String target, long contentLength) {
    }

    /** Reads the whole head; null on a short, oversized or malformed one. */
    private static Head readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0; // how much of CR LF CR LF has been seen
        while (matched < 4) {
            int b = in.read();
            if (b < 0 || head.size() >= MAX_HEAD) {
                return null;
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] parts = lines[0].split(" ");
        if (parts.length < 2) {
            return null;
        }
        long contentLength = -1;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                try {
                    contentLength = Long.parseLong(lines[i].substring(colon + 1).trim());
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return new Head(parts[0], parts[1], contentLength);
    }
}
