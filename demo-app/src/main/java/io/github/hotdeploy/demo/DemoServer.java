package io.github.hotdeploy.demo;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small, ordinary HTTP server. It knows nothing about Server::Starter: it binds its port the
 * usual way, and the agent (not this code) makes that bind adopt start_server's socket.
 */
public final class DemoServer {

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final ServerStats stats;

    private DemoServer(HttpServer server, ThreadPoolExecutor executor, ServerStats stats) {
        this.server = server;
        this.executor = executor;
        this.stats = stats;
    }

    public static void main(String[] args) {
        DemoOptions options;
        try {
            options = DemoOptions.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("demo-app: " + e.getMessage());
            System.err.println(DemoOptions.USAGE);
            System.exit(2);
            return;
        }
        DemoServer demo;
        try {
            demo = start(options);
        } catch (IOException e) {
            System.err.println("demo-app: cannot listen on " + options.host() + ":" + options.port() + ": " + e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(
                new Thread(new GracefulStop(demo, options.stopDelaySeconds()), "demo-app-shutdown"));
        InetSocketAddress bound = demo.address();
        String generation = System.getenv("SERVER_STARTER_GENERATION");
        Log.info("listening on http://" + bound.getHostString() + ":" + bound.getPort() + "/"
                + (generation == null ? "" : " (generation " + generation + ")"));
    }

    static DemoServer start(DemoOptions options) throws IOException {
        // The JDK server writes a response's head and body separately; with Nagle's algorithm on, the
        // body then waits for the client's delayed ACK, and every keep-alive request takes ~40 ms.
        // Read once, when the first server is created.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        ServerStats stats = new ServerStats();
        HttpServer server = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 0);
        ThreadPoolExecutor executor = newExecutor(options.threads());
        server.setExecutor(executor);
        CountingFilter counting = new CountingFilter(stats);
        register(server, "/", new InfoHandler(stats), counting);
        register(server, "/sleep", new SleepHandler(), counting);
        register(server, "/health", new HealthHandler(), counting);
        server.start();
        return new DemoServer(server, executor, stats);
    }

    private static void register(HttpServer server, String path, HttpHandler handler, CountingFilter counting) {
        HttpContext context = server.createContext(path, handler);
        context.getFilters().add(counting);
    }

    /** A fixed pool: requests beyond it queue rather than spawn threads without bound. */
    private static ThreadPoolExecutor newExecutor(int threads) {
        AtomicInteger ids = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                task -> new Thread(task, "demo-http-" + ids.incrementAndGet()));
    }

    InetSocketAddress address() {
        return server.getAddress();
    }

    long requestCount() {
        return stats.requests();
    }

    /** Stops accepting, waits up to delaySeconds for exchanges in progress, then closes everything. */
    void stop(int delaySeconds) {
        server.stop(delaySeconds);
        shutdownExecutor(executor);
    }

    private static void shutdownExecutor(ExecutorService executor) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
