package io.github.hotdeploy.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP/2 client that follows the protocol on GOAWAY: the JDK's HttpClient (JDK 24 and later;
 * before, it failed a connection's requests on any GOAWAY), over h2c, its requests multiplexed on
 * long-lived connections. Run in a JVM of its own, on a JDK whose client is the one to test:
 * {@code java -cp test-support/target/classes io.github.hotdeploy.testsupport.Http2Clients PORT
 * SECONDS THREADS [STOP_FILE]}: for SECONDS, or until STOP_FILE exists (a test ends the load once
 * it saw what it waits for, instead of sizing SECONDS for the slowest machine). Prints {@code ok=N http1=N failures={...}} and exits 0 only when every request
 * got a 200 over HTTP/2 (its GETs are not resent by the client: nothing is refused by a graceful
 * GOAWAY, whose last stream id covers every stream).
 */
public final class Http2Clients {

    private Http2Clients() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long seconds = Long.parseLong(args[1]);
        int threads = Integer.parseInt(args[2]);
        Path stopFile = args.length > 3 ? Path.of(args[3]) : null;
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(30)).build();
        AtomicLong ok = new AtomicLong();
        AtomicLong http1 = new AtomicLong();
        Map<String, Long> failures = new TreeMap<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            pool.submit(() -> {
                while (System.nanoTime() < end && (stopFile == null || !Files.exists(stopFile))) {
                    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                            .timeout(Duration.ofSeconds(30)).GET().build();
                    try {
                        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 200) {
                            count(failures, "status " + response.statusCode());
                        } else if (response.version() != HttpClient.Version.HTTP_2) {
                            http1.incrementAndGet();
                        } else {
                            ok.incrementAndGet();
                        }
                    } catch (Exception e) {
                        count(failures, e.toString());
                    }
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 120, TimeUnit.SECONDS);
        synchronized (failures) {
            System.out.println("ok=" + ok + " http1=" + http1 + " failures=" + failures);
            System.exit(failures.isEmpty() && ok.get() > 0 ? 0 : 1);
        }
    }

    private static void count(Map<String, Long> failures, String what) {
        synchronized (failures) {
            failures.merge(what, 1L, Long::sum);
        }
    }
}
