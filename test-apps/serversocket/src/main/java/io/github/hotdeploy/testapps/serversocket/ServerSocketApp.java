package io.github.hotdeploy.testapps.serversocket;

import io.github.hotdeploy.testapps.common.AppArgs;
import io.github.hotdeploy.testapps.common.OneRequestPerConnection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** The oldest server shape in Java: a blocking java.net.ServerSocket and a thread per connection. */
public final class ServerSocketApp {

    private ServerSocketApp() {
    }

    public static void main(String[] args) throws IOException {
        AppArgs options = AppArgs.parse("serversocket", args);
        try (ServerSocket server = new ServerSocket(options.port(), 50, InetAddress.getByName(options.host()))) {
            while (true) {
                Socket connection = server.accept();
                Thread worker = new Thread(() -> serve(connection), "connection-" + connection.getPort());
                worker.setDaemon(true);
                worker.start();
            }
        }
    }

    private static void serve(Socket connection) {
        try (connection) {
            OneRequestPerConnection.serve("serversocket", connection.getInputStream(), connection.getOutputStream());
        } catch (IOException e) {
            // the client went away: nothing to answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
