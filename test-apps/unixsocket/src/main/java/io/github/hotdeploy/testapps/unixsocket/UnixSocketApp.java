package io.github.hotdeploy.testapps.unixsocket;

import io.github.hotdeploy.testapps.common.AppArgs;
import io.github.hotdeploy.testapps.common.OneRequestPerConnection;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * HTTP over a unix-domain stream socket (JDK 16+). It does not remove an existing file at the
 * path before binding, as the JDK does not: a second copy must not steal a live server's socket.
 */
public final class UnixSocketApp {

    private UnixSocketApp() {
    }

    public static void main(String[] args) throws IOException {
        AppArgs options = AppArgs.parse("unixsocket", args);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(options.path()));
            while (true) {
                SocketChannel connection = server.accept();
                Thread worker = new Thread(() -> serve(connection), "connection");
                worker.setDaemon(true);
                worker.start();
            }
        }
    }

    private static void serve(SocketChannel connection) {
        try (connection) {
            OneRequestPerConnection.serve("unixsocket", Channels.newInputStream(connection),
                    Channels.newOutputStream(connection));
        } catch (IOException e) {
            // the client went away: nothing to answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
