package io.github.hotdeploy.bench.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The first message seen for each kind of failure, so a summary that says "reset: 3" also says
 * where ("receive: Connection reset"). Kinds are outcome labels plus "resent" (what the first
 * try of a resent request met).
 */
final class ErrorSamples {

    static final String RESENT = "resent";
    /** A pooled connection found closed by the server before it was reused: not a request. */
    static final String STALE = "stale_connection";

    private final Map<String, String> first = new ConcurrentHashMap<>();
    private final LongAdder stale = new LongAdder();

    void record(String kind, String message) {
        first.putIfAbsent(kind, message);
    }

    void staleDropped(String message) {
        stale.increment();
        record(STALE, message);
    }

    long staleDropped() {
        return stale.sum();
    }

    /** Sorted by kind, for stable output. */
    Map<String, String> snapshot() {
        return new TreeMap<>(first);
    }
}
