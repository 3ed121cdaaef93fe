package io.github.hotdeploy.agent.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One request to a fixture or real server; answers "pid=N gen=G" (as a line or an HTTP body). */
public final class Client {

    private static final Pattern ANSWER = Pattern.compile("pid=(\\d+) gen=(\\S+)");

    /** The pid and generation that answered. */
    public static final class Answer {
        public final long pid;
        public final String generation;

        Answer(long pid, String generation) {
            this.pid = pid;
            this.generation = generation;
        }

        @Override
        public String toString() {
            return "pid=" + pid + " gen=" + generation;
        }
    }

    private Client() {
    }

    /** Reads whatever the server sends on connect (line servers). */
    public static Answer line(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(5000);
            return parse(readAll(socket.getInputStream()));
        }
    }

    /** GET / over HTTP/1.0 (the server closes after the response). */
    public static Answer http(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return parse(readAll(socket.getInputStream()));
        }
    }

    public static Answer unix(String path) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(path));
            ByteBuffer buffer = ByteBuffer.allocate(256);
            while (channel.read(buffer) > 0) {
                // until EOF
            }
            return parse(new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII));
        }
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }

    private static Answer parse(String text) throws IOException {
        Matcher m = ANSWER.matcher(text);
        if (!m.find()) {
            throw new IOException("unexpected answer: " + text);
        }
        return new Answer(Long.parseLong(m.group(1)), m.group(2));
    }
}
