package io.github.hotdeploy.bench.restart;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The contrast (b): an ordinary server that binds with SO_REUSEPORT, so a second copy can bind
 * the same port while the first still listens, and the first is then stopped. This is the
 * hand-over people build without a superdaemon. On TERM it does what a typical app does: close
 * the listener, let requests in progress finish for up to a second, close every connection.
 * What the kernel does with connections still queued on the closed listener is what this
 * contrast measures.
 *
 * <pre>java -cp bench.jar io.github.hotdeploy.bench.restart.ReusePortServer PORT</pre>
 */
public final class ReusePortServer {

    private static final Set<SocketChannel> CONNECTIONS = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger BUSY = new AtomicInteger();
    private static volatile boolean stopping;

    private ReusePortServer() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        long pid = ProcessHandle.current().pid();
        ServerSocketChannel listener = ServerSocketChannel.open();
        listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        listener.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        listener.bind(new InetSocketAddress("127.0.0.1", port), 4096);
        ExecutorService pool = Executors.newCachedThreadPool();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(listener, pool)));
        System.out.println("reuseport[" + pid + "] listening on 127.0.0.1:" + port + " after "
                + ManagementFactory.getRuntimeMXBean().getUptime() + " ms");
        while (!stopping) {
            SocketChannel c;
            try {
                c = listener.accept();
            } catch (IOException e) {
                break;
            }
            CONNECTIONS.add(c);
            pool.execute(() -> serve(c, pid));
        }
    }

    private static void stop(ServerSocketChannel listener, ExecutorService pool) {
        stopping = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing is all that is wanted
        }
        long deadline = System.currentTimeMillis() + 1000;
        while (BUSY.get() > 0 && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                break;
            }
        }
        for (SocketChannel c : CONNECTIONS) {
            try {
                c.close();
            } catch (IOException ignored) {
                // best effort, the process is exiting
            }
        }
        pool.shutdownNow();
        try {
            pool.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException ignored) {
            // exiting anyway
        }
    }

    private static void serve(SocketChannel c, long pid) {
        try (c) {
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            InputStream in = new BufferedInputStream(Channels.newInputStream(c));
            OutputStream out = Channels.newOutputStream(c);
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                BUSY.incrementAndGet();
                try {
                    String target = head.split(" ", 3)[1];
                    boolean close = head.toLowerCase().contains("\r\nconnection: close") || stopping;
                    String body = "server=reuseport pid=" + pid + "\n";
                    if (target.startsWith("/sleep")) {
                        int i = target.indexOf("ms=");
                        long ms = i < 0 ? 0 : Long.parseLong(target.substring(i + 3).split("&")[0]);
                        Thread.sleep(Math.min(ms, 60_000));
                        body = "server=reuseport pid=" + pid + " slept=" + ms + "\n";
                    }
                    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + bytes.length
                            + (close ? "\r\nConnection: close" : "") + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(bytes);
                    out.flush();
                    if (close) {
                        return;
                    }
                } finally {
                    BUSY.decrementAndGet();
                }
            }
        } catch (IOException | RuntimeException e) {
            // the client or the stop closed the connection
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            CONNECTIONS.remove(c);
        }
    }

    /** The request head, or null at the end of the stream. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            head.append((char) b);
            int n = head.length();
            if (n >= 4 && head.charAt(n - 1) == '\n' && head.charAt(n - 2) == '\r' && head.charAt(n - 3) == '\n') {
                return head.toString();
            }
            if (n > 16 * 1024) {
                return null;
            }
        }
        return null;
    }
}
