package io.github.hotdeploy.testapps.common;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The smallest HTTP/1.1 a hand-written accept loop needs: read one request head, answer it,
 * close. Bodies of requests are not read (GET only), keep-alive is not offered
 * ({@code Connection: close}), which every client handles.
 */
public final class OneRequestPerConnection {

    private static final int MAX_HEAD = 16 * 1024;

    private OneRequestPerConnection() {
    }

    /** Answers the request on this connection; the caller closes the streams. */
    public static void serve(String server, InputStream in, OutputStream out) throws IOException, InterruptedException {
        String target = requestTarget(in);
        if (target == null) {
            return; // the client went away before a full request head
        }
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? null : target.substring(q + 1);
        String body;
        String status;
        if ("/".equals(path)) {
            status = "200 OK";
            body = Replies.hello(server);
        } else if (Replies.isSleep(path)) {
            long ms = Replies.sleepMillis(query);
            Thread.sleep(ms);
            status = "200 OK";
            body = Replies.slept(server, ms);
        } else {
            status = "404 Not Found";
            body = "not found\n";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                + bytes.length + "\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
    }

    /** The request line's target, after reading the whole head; null on a short or oversized head. */
    private static String requestTarget(InputStream in) throws IOException {
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
        String requestLine = head.toString(StandardCharsets.ISO_8859_1).split("\r\n", 2)[0];
        String[] parts = requestLine.split(" ");
        return parts.length >= 2 ? parts[1] : null;
    }
}
