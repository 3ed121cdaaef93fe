package io.github.hotdeploy.bench.load;

/**
 * A request that got no complete response, already classified by the code that knew what it was
 * doing at the time (connecting, sending or reading).
 */
final class RequestFailure extends Exception {

    private final Outcome outcome;
    private final boolean idleClose;

    RequestFailure(Outcome outcome, String message, boolean idleClose) {
        super(message, null, false, false);
        this.outcome = outcome;
        this.idleClose = idleClose;
    }

    Outcome outcome() {
        return outcome;
    }

    /**
     * True when a reused keep-alive connection ended cleanly before any byte of the response:
     * the server closed it as idle while the request was on its way. Many clients resend such a
     * GET; this tool does only with --resend=idle-close, and counts it as a failure anyway.
     */
    boolean isIdleClose() {
        return idleClose;
    }
}
