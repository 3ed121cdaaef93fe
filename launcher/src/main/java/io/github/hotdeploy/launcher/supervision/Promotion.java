package io.github.hotdeploy.launcher.supervision;

import java.time.Duration;

/**
 * When a starting generation counts as started, the one rule behind every promotion.
 *
 * <p>The original has nothing but time to go by: a generation still alive after {@code --interval}
 * (1 s by default) is taken to be up. A generation whose READY=1 is awaited says when it is up, and
 * that is a better signal than any delay: it counts as started when it says so, with no floor. An
 * {@code --interval} given on the command line is still honoured for it, as the original's minimum
 * life from spawn, for whoever wants that safety window on top of readiness; only the default
 * floor goes.
 */
final class Promotion {
    /** Not known yet: the generation has not said READY=1 (or never will count as started). */
    static final long NEVER = Long.MAX_VALUE;

    private Promotion() {
    }

    /**
     * @param spawnedAtNanos when the generation was spawned
     * @param readinessAwaited whether start_server waits for its READY=1
     * @param readyAtNanos when it said READY=1, or {@link #NEVER}
     * @param interval minimum life of a generation whose readiness is not awaited (--interval, default 1 s)
     * @param readyInterval minimum life of one whose readiness is awaited (--interval if given, else 0)
     * @return when it counts as started, or {@link #NEVER} while that depends on a READY=1 not yet received
     */
    static long dueAt(long spawnedAtNanos, boolean readinessAwaited, long readyAtNanos, Duration interval,
                      Duration readyInterval) {
        if (!readinessAwaited) {
            return plus(spawnedAtNanos, interval);
        }
        if (readyAtNanos == NEVER) {
            return NEVER;
        }
        return Math.max(readyAtNanos, plus(spawnedAtNanos, readyInterval));
    }

    private static long plus(long nanos, Duration duration) {
        long d = duration.toNanos();
        return nanos > NEVER - d ? NEVER - 1 : nanos + d;
    }
}
