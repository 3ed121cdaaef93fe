package io.github.hotdeploy.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.DatagramSocket;

/** Ports nobody listens on right now: the kernel picks one for port 0, we close it and use it. */
public final class FreePorts {
    private FreePorts() {
    }

    public static int tcp() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A port free for both TCP and UDP, for tests that bind both. */
    public static int tcpAndUdp() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = tcp();
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
                return port;
            } catch (IOException taken) {
                // try another one
            }
        }
        throw new IllegalStateException("no port free for both TCP and UDP");
    }
}
