package io.github.hotdeploy.bench.load;

/** How requests use connections. */
enum Mode {
    /** Each worker keeps one connection and sends request after request on it, like a pooled client. */
    KEEPALIVE,
    /** A new TCP connection per request ("Connection: close"), like a client without a pool. */
    CLOSE;

    static Mode parse(String value) {
        return switch (value) {
            case "keepalive", "keep-alive" -> KEEPALIVE;
            case "close" -> CLOSE;
            default -> throw new IllegalArgumentException("--mode expects keepalive or close, got: " + value);
        };
    }

    String label() {
        return this == KEEPALIVE ? "keepalive" : "close";
    }
}
