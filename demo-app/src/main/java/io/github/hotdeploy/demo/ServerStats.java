package io.github.hotdeploy.demo;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** What GET / reports about this process: how long it has served and how many requests. */
final class ServerStats {

    /** From System.nanoTime(): uptime must not jump when the wall clock is adjusted. */
    private final long startNanos = System.nanoTime();
    private final AtomicLong requests = new AtomicLong();

    long countRequest() {
        return requests.incrementAndGet();
    }

    long requests() {
        return requests.get();
    }

    Duration uptime() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
