package io.github.hotdeploy.bench.load;

import java.nio.charset.StandardCharsets;

/** The bytes of the requests a run sends over and over. */
final class Request {

    private Request() {
    }

    static byte[] get(String host, int port, String path, Mode mode) {
        return head("GET", host, port, path, mode, "").getBytes(StandardCharsets.US_ASCII);
    }

    /** A POST with a Content-Length body (never chunked: every server and stub reads that). */
    static byte[] post(String host, int port, String path, Mode mode, byte[] body) {
        byte[] head = head("POST", host, port, path, mode,
                "Content-Type: application/octet-stream\r\nContent-Length: " + body.length + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    private static String head(String method, String host, int port, String path, Mode mode, String fields) {
        String hostHeader = host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
        return method + " " + path + " HTTP/1.1\r\n"
                + "Host: " + hostHeader + "\r\n"
                + "User-Agent: hotdeploy-bench\r\n"
                + "Accept: */*\r\n"
                + fields
                + (mode == Mode.CLOSE ? "Connection: close\r\n" : "")
                + "\r\n";
    }
}
