package io.github.hotdeploy.launcher.it;

import io.github.hotdeploy.testsupport.StartServerRun;
import io.github.hotdeploy.testsupport.Waits;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Talks to the fixture servers through the sockets start_server handed them. */
final class Client {
    private static final Pattern ANSWER = Pattern.compile("pid=(\\d+) gen=(\\S+) var=(.*)");
    private static final int IO_TIMEOUT_MS = 10_000;

    /** What a fixture answers: who it is, its SERVER_STARTER_GENERATION and its $FIXTURE_VAR. */
    record Answer(long pid, int generation, String var) {
        static Answer parse(String line) {
            Matcher m = ANSWER.matcher(line.trim());
            if (!m.matches()) {
                throw new IllegalStateException("not a fixture answer: " + line);
            }
            return new Answer(Long.parseLong(m.group(1)), Integer.parseInt(m.group(2)), m.group(3));
        }
    }

    private Client() {
    }

    static Answer ask(int port) throws IOException {
        return ask("127.0.0.1", port);
    }

    static Answer ask(String host, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(host), port), IO_TIMEOUT_MS);
            socket.setSoTimeout(IO_TIMEOUT_MS);
            socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            return Answer.parse(in.readLine());
        }
    }

    static Answer askUnix(Path path) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(path));
            channel.write(ByteBuffer.wrap("hello\n".getBytes(StandardCharsets.US_ASCII)));
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
            return Answer.parse(in.readLine());
        }
    }

    static Answer askUdp(String host, int port) throws IOException {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(1000);
            byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
            socket.send(new DatagramPacket(hello, hello.length, new InetSocketAddress(InetAddress.getByName(host), port)));
            byte[] buffer = new byte[512];
            DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
            socket.receive(reply);
            return Answer.parse(new String(buffer, 0, reply.getLength(), StandardCharsets.UTF_8));
        }
    }

    /** An answer if something answers now, empty if the connection fails (nobody serving yet). */
    static Optional<Answer> tryAsk(int port) {
        try {
            return Optional.of(ask(port));
        } catch (IOException | RuntimeException nobody) {
            return Optional.empty();
        }
    }

    /** Waits until the fixture of {@code generation} answers on the port (a retired one may answer first). */
    static Answer awaitGeneration(StartServerRun run, int port, int generation) {
        return Waits.until("generation " + generation + " answering on port " + port,
                () -> tryAsk(port).filter(a -> a.generation() == generation), run::describe);
    }

    /** Waits until anything answers on the port. */
    static Answer awaitAnswer(StartServerRun run, int port) {
        return Waits.until("an answer on port " + port, () -> tryAsk(port), run::describe);
    }

    /** True when a TCP connect to the port is refused: nobody holds the listening socket. */
    static boolean refused(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), IO_TIMEOUT_MS);
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
