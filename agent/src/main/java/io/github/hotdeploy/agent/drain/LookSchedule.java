package io.github.hotdeploy.agent.drain;

/**
 * When the drain looks, lists and stops: the pure timing rules of its look loop ({@link Drain}).
 * Looks come every {@link #MIN_POLL_MS} while anything changes and back off, doubling, to
 * {@link #MAX_POLL_MS} while nothing moves (one long request costs no CPU); while a connection's
 * grace period runs, at most a quarter of that period apart, so that it is closed close to time.
 */
final class LookSchedule {

    /** The pause between looks while anything changes. */
    static final long MIN_POLL_MS = 20;
    /** The longest pause between looks, reached while nothing moves. */
    static final long MAX_POLL_MS = 500;

    // What the loop does after a look (afterLook):
    /** Pause, then look again. */
    static final int LOOK_AGAIN = 0;
    /** Nothing is left to wait for: hand over. */
    static final int DONE = 1;
    /** Nothing was left, but the fds were listed a while ago: list them again and look at once. */
    static final int RESCAN_FIRST = 2;
    /** The drain timeout is up with connections left: hand over. */
    static final int TIMED_OUT = 3;

    private LookSchedule() {
    }

    /** Whether {@code every} nanoseconds have passed since {@code last} (System.nanoTime values). */
    static boolean due(long now, long last, long every) {
        return now - last >= every;
    }

    /**
     * After a look that left {@code remaining} connections to wait for. Nothing left ends the
     * drain only if that look followed a fresh listing of the fds: a thread that was inside
     * accept(2) when accepts were stopped may have taken a connection since the last one. The
     * timeout counts only while something is left.
     */
    static int afterLook(int remaining, boolean afterListing, long now, long deadline) {
        if (remaining == 0) {
            return afterListing ? DONE : RESCAN_FIRST;
        }
        return now >= deadline ? TIMED_OUT : LOOK_AGAIN;
    }

    /**
     * The pause before the next look: back to {@link #MIN_POLL_MS} when the look saw a change,
     * else twice the last pause up to a ceiling, {@link #MAX_POLL_MS}, or a quarter of the grace
     * period while an idle connection's grace runs.
     */
    static long nextPollMs(long lastPollMs, boolean changed, boolean graceRunning, long graceMs) {
        if (changed) {
            return MIN_POLL_MS;
        }
        long ceiling = graceRunning ? Math.max(MIN_POLL_MS, Math.min(MAX_POLL_MS, graceMs / 4)) : MAX_POLL_MS;
        return Math.min(ceiling, lastPollMs * 2);
    }

    /** How long to sleep for a pause: never past the deadline, and at least 1 ms, so it never spins. */
    static long sleepMs(long pollMs, long now, long deadline) {
        return Math.max(1, Math.min(pollMs, (deadline - now) / 1000000L));
    }

    /**
     * Folds one connection's state at a look into the look's fingerprint; two looks with equal
     * fingerprints saw nothing change.
     */
    static long fingerprint(long sofar, long inode, int verdict, boolean appWaitsToRead) {
        return sofar * 31 + inode * 4 + verdict + (appWaitsToRead ? 2 : 0);
    }
}
