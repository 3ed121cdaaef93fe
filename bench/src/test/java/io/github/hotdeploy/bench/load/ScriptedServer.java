package io.github.hotdeploy.bench.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A raw TCP server on an ephemeral loopback port whose every connection runs a scripted
 * behaviour, for misbehaviours a real HTTP server will not produce on demand. close() stops the
 * accept loop and every connection thread.
 */
final class ScriptedServer implements AutoCloseable {

    interface Script {
        void serve(Socket socket, InputStream in) throws IOException;
    }

    private final ServerSocket listener;
    private final Thread acceptor;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    ScriptedServer(Script script) throws IOException {
        listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        acceptor = new Thread(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket socket = listener.accept();
                    sockets.add(socket);
                    Thread t = new Thread(() -> {
                        try (socket) {
                            script.serve(socket, socket.getInputStream());
                        } catch (IOException e) {
                            // the client went away, or close() closed the socket
                        }
                    }, "scripted-connection");
                    threads.add(t);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "scripted-acceptor");
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Reads one request head; false at a clean end of stream before any byte. */
    static boolean readRequestHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            byte[] bytes = head.toByteArray();
            int n = bytes.length;
            if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n') {
                return true;
            }
        }
        if (head.size() > 0) {
            throw new IOException("end of stream inside a request head");
        }
        return false;
    }

    static void respond(Socket socket, int status, String body) throws IOException {
        String response = "HTTP/1.1 " + status + " X\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
        socket.getOutputStream().write(response.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** Close the way a careful server closes an idle connection: FIN first, then wait for the client's. */
    static void closeGracefully(Socket socket, InputStream in) throws IOException {
        socket.shutdownOutput();
        byte[] sink = new byte[1024];
        while (in.read(sink) >= 0) {
            // a request sent before our FIN arrived is read and dropped, so no RST is sent
        }
    }

    @Override
    public void close() throws Exception {
        listener.close();
        acceptor.join();
        for (Socket socket : sockets) {
            socket.close();
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }
}
