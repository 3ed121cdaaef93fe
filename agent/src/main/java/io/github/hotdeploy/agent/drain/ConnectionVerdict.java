package io.github.hotdeploy.agent.drain;

/**
 * What the drain does with one connection after a look at it: the rules that decide between
 * waiting, closing an idle connection and no longer waiting for it. Pure: the drain gathers
 * what it saw ({@link Look}) and acts on the answer. One instance per connection, because idleness
 * must last: a connection is closed only after it has been idle, look after look, for the grace
 * period.
 *
 * <ul>
 *   <li>A connection switched to another protocol (HTTP 101: WebSocket) is waited for until the
 *       drain's timeout.</li>
 *   <li>One that the protocol has ended (a response with {@code Connection: close} left in full,
 *       then our FIN) is waited for a short while, for the client's close; then no longer.</li>
 *   <li>One that carried, during the drain, requests and answers of a protocol the agent does not
 *       speak (JDBC, a custom TCP protocol): left to the app's shutdown once the grace period is
 *       over, busy or not: the agent cannot end it cleanly, and its client would keep the old JVM
 *       to the drain's timeout.</li>
 *   <li>Busy: bytes unread, a response under way, the app not waiting to read it, or (where
 *       tcp_info can be read) the client spoke last. Waited for: that is the in-flight
 *       guarantee.</li>
 *   <li>Idle, and its client has closed its side: no longer waited for at once (the app reads
 *       the end of stream and closes it).</li>
 *   <li>Idle for the grace period since the drain began, since its last write and since it was
 *       last busy: an HTTP connection is half-closed, as the server's own keep-alive timeout would
 *       close it; any other protocol is left to the app's shutdown.</li>
 * </ul>
 */
final class ConnectionVerdict {

    static final int WAIT = 0;
    static final int CLOSE_IDLE = 1;
    static final int RELEASE = 2;

    // Look.appWaits
    static final int APP_WAITS_TO_READ = 1;
    static final int APP_BUSY = 2;

    /** One look at one connection. */
    static final class Look {
        boolean unread;
        /** {@link #APP_WAITS_TO_READ} or {@link #APP_BUSY}, from its selector key, epoll or threads. */
        int appWaits;
        boolean answerOwed;
        boolean peerClosed;
        boolean inResponse;
        boolean upgraded;
        /** HTTP/1.x is spoken on it or on its port (a response was seen): idle means keep-alive. */
        boolean http;
        /** System.nanoTime of its last write since the drain began, 0 if none. */
        long lastWriteNanos;
        /** When our FIN followed a response that ends it, 0 if not yet. */
        long finSentNanos;
        /** Requests and answers of a protocol other than HTTP passed on it during the drain. */
        boolean otherProtocol;
    }

    private long idleSince = -1;

    /**
     * Whether the connection may be idle from what it shows itself: nothing unread, no response
     * under way, not ended, not upgraded. Only then is the app's view worth its cost (a selector
     * key, epoll, the threads) and TCP's.
     */
    static boolean mayBeIdle(Look look) {
        return !look.unread && !look.inResponse && look.finSentNanos == 0 && !look.upgraded;
    }

    /**
     * @param graceNanos how long a connection must stay idle before it is closed (keep-alive) or
     *     left to the app (other protocols)
     * @param lingerNanos how long a connection the protocol ended is waited for after our FIN
     */
    int decide(Look look, long now, long drainStart, long graceNanos, long lingerNanos) {
        if (look.upgraded) {
            return WAIT;
        }
        if (look.finSentNanos != 0) {
            return now - look.finSentNanos >= lingerNanos ? RELEASE : WAIT;
        }
        if (look.otherProtocol && now - drainStart >= graceNanos) {
            return RELEASE;
        }
        boolean busy = look.unread || look.inResponse || look.appWaits != APP_WAITS_TO_READ || look.answerOwed;
        if (busy) {
            idleSince = -1;
            return WAIT;
        }
        if (look.peerClosed) {
            return RELEASE;
        }
        if (idleSince < 0) {
            idleSince = now;
        }
        long quietSince = Math.max(Math.max(idleSince, look.lastWriteNanos), drainStart);
        if (now - quietSince < graceNanos) {
            return WAIT;
        }
        return look.http ? CLOSE_IDLE : RELEASE;
    }

    /** Idle since when (System.nanoTime), or -1 when it was busy at the last look. */
    long idleSince() {
        return idleSince;
    }

    /**
     * After a {@link #WAIT}: whether the connection is waited for only because its grace period
     * of idleness is not over yet (the drain then looks again soon), not because it is busy,
     * ended or upgraded.
     */
    boolean graceRunning(Look look) {
        return idleSince >= 0 && look.finSentNanos == 0 && !look.upgraded;
    }
}
