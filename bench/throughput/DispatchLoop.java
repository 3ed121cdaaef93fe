import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The selector work that com.sun.net.httpserver's single dispatcher thread does for every
 * keep-alive request (ServerImpl.Dispatcher: key.cancel, configureBlocking(true) before the
 * exchange; configureBlocking(false), register(OP_READ), and the selectNow that flushes the
 * cancelled key), in a loop, timed in this thread's CPU time. Every JDK method the agent hooks
 * on that path runs once per iteration: SelectorImpl.register, SelectionKeyImpl.interestOps and
 * SelectorImpl.lockAndDoSelect. The throughput benchmark cannot resolve 1 % on a busy machine;
 * this loop, measured in CPU time of one thread, is far less disturbed by other processes.
 *
 * Run under start_server, which owns the port: java DispatchLoop.java PORT WARMUP_S MEASURE_S.
 * Prints "dispatch-loop: ns_per_iteration=... iterations=..." and then waits to be stopped
 * (start_server would start it again if it exited).
 */
public class DispatchLoop {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        double warmupSeconds = Double.parseDouble(args[1]);
        double measureSeconds = Double.parseDouble(args[2]);

        // Bind and accept like a server, so that with the agent the socket is adopted and READY is
        // sent: every hook is then in the steady state a serving application sees.
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress("127.0.0.1", port));
        server.configureBlocking(false);
        Selector selector = Selector.open();
        server.register(selector, SelectionKey.OP_ACCEPT);
        SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        SocketChannel connection = null;
        while (connection == null) {
            selector.select(1000);
            selector.selectedKeys().clear();
            connection = server.accept();
        }

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Object attachment = new Object();
        loop(selector, connection, attachment, (long) (warmupSeconds * 1e9));
        long cpu0 = threads.getCurrentThreadCpuTime();
        long iterations = loop(selector, connection, attachment, (long) (measureSeconds * 1e9));
        long cpu = threads.getCurrentThreadCpuTime() - cpu0;
        System.out.printf("dispatch-loop: ns_per_iteration=%.2f iterations=%d cpu_ns=%d%n",
                (double) cpu / iterations, iterations, cpu);
        System.out.flush();
        client.close();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** Iterates for about wallNanos; returns the iteration count. */
    private static long loop(Selector selector, SocketChannel connection, Object attachment, long wallNanos)
            throws Exception {
        long end = System.nanoTime() + wallNanos;
        long n = 0;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1000; i++) {
                connection.configureBlocking(false);
                SelectionKey key = connection.register(selector, SelectionKey.OP_READ);
                key.attach(attachment);
                key.cancel();
                selector.selectNow();
                connection.configureBlocking(true);
            }
            n += 1000;
        }
        return n;
    }
}
