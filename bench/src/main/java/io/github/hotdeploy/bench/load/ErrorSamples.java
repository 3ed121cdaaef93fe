package io.github.hotdeploy.bench.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The first message seen for each kind of failure, so a summary that says "reset: 3" also says
 * where ("receive: Connection reset"). Kinds are outcome labels plus "idle_close".
 */
final class ErrorSamples {

    static final String IDLE_CLOSE = "idle_close";

    private final Map<String, String> first = new ConcurrentHashMap<>();

    void record(String kind, String message) {
        first.putIfAbsent(kind, message);
    }

    /** Sorted by kind, for stable output. */
    Map<String, String> snapshot() {
        return new TreeMap<>(first);
    }
}
