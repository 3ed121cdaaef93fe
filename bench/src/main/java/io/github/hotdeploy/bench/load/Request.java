package io.github.hotdeploy.bench.load;

import java.nio.charset.StandardCharsets;

/** The bytes of the one GET request a run sends over and over. */
final class Request {

    private Request() {
    }

    static byte[] get(String host, int port, String path, Mode mode) {
        String hostHeader = host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
        String text = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + hostHeader + "\r\n"
                + "User-Agent: hotdeploy-bench\r\n"
                + "Accept: */*\r\n"
                + (mode == Mode.CLOSE ? "Connection: close\r\n" : "")
                + "\r\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
