package io.github.hotdeploy.launcher.supervision;

import java.util.List;

/**
 * What the supervisor shows the world, published after every change: the state file behind
 * {@code --status} and {@code --restart}, and systemd's notifications, are both made from it.
 * Times are the supervisor's clock (System.nanoTime, which is CLOCK_MONOTONIC on Linux).
 *
 * @param lastGeneration the highest generation number given out so far (failed attempts use numbers too)
 * @param everServed some generation has counted as started: start_server is up
 * @param generations every generation not yet reaped, by number
 * @param restart the restart under way or the last one (HUP or auto-restart), or null before the first
 * @param lastFailure the last generation that failed to start or died while serving, or null
 * @param retryAtNanos when a failed start is tried again, or 0 when none is scheduled
 * @param restartQueued a HUP arrived during a restart: one more restart follows this one
 */
public record Snapshot(Supervisor.Phase phase, int lastGeneration, boolean everServed, List<Generation> generations,
                       Restart restart, Failure lastFailure, long retryAtNanos, boolean restartQueued) {

    public Snapshot {
        generations = List.copyOf(generations);
    }

    /** What a generation is doing. */
    public enum Role {
        /** Spawned, not yet counted as started. */
        STARTING,
        /** The current generation. */
        SERVING,
        /** An old generation waiting out --kill-old-delay: still serving, signalled soon. */
        RETIRING,
        /** Signalled to go (an old one after a restart, or every one at stop), not yet gone. */
        DRAINING,
        /** Missed its readiness deadline and was sent TERM: it will never serve. */
        ABANDONED,
        /**
         * Signalled, and its application has shut down: its JVM only writes what it loaded for
         * the class cache as it exits. Done for {@code --restart}, still a live process (the
         * status file lists it until it is reaped).
         */
        EXITING
    }

    /** Whether start_server waits for the generation's READY=1. */
    public enum Readiness { NOT_AWAITED, AWAITED, REPORTED }

    /** What the class cache does for a generation (docs/launcher.md#class-caches-for-java-children). */
    public enum ClassCacheUse {
        /** Nothing: the cache is off, not for this command, or not ready yet (it boots cold). */
        NONE,
        /** It notes what it loads, for the cache made once it has exited. */
        RECORDING,
        /** It booted from the cache. */
        CACHED
    }

    /**
     * @param sinceNanos when it took its current role
     * @param readyAtNanos when it said READY=1, or 0
     */
    public record Generation(int number, long pid, Role role, long sinceNanos, Readiness readiness, long readyAtNanos,
                             ClassCacheUse classCache) {
    }

    /** What asked for a restart. */
    public enum Trigger { HUP, AUTO_RESTART }

    public enum Outcome {
        IN_PROGRESS,
        /** A new generation counted as started and the old ones were told to go. */
        SUCCEEDED,
        /** An attempt failed (start_server keeps retrying while the old generation serves), or a stop came first. */
        FAILED
    }

    /**
     * One restart, from the request to a new generation taking over.
     *
     * @param sequence 1 for the first restart, then 2, 3...
     * @param failedAttempts attempts of this restart that failed so far
     * @param generation the generation that took over, or the last one tried
     * @param endedAtNanos when it succeeded or last failed, or 0 while in progress
     */
    public record Restart(int sequence, Trigger trigger, long requestedAtNanos, Outcome outcome, int failedAttempts,
                          int generation, long endedAtNanos) {
    }

    /** How a generation failed. */
    public enum FailureKind {
        /** Exited before it counted as started. */
        DIED_STARTING,
        /** Said nothing within --wait-ready-timeout. */
        NOT_READY,
        /** Could not be started at all (exec failed). */
        NOT_SPAWNED,
        /** Exited while it was the serving generation. */
        DIED_SERVING
    }

    /**
     * @param generation its number
     * @param pid 0 when it was never spawned
     * @param reason for a person: {@code exited with status 1}, {@code was killed by signal 9 (KILL)}...
     */
    public record Failure(int generation, long pid, FailureKind kind, String reason, long atNanos) {

        /** One line: what failed and why. */
        public String describe() {
            String who = "generation " + generation + (pid > 0 ? " (pid " + pid + ")" : "");
            return switch (kind) {
                case DIED_STARTING -> who + " " + reason + " before it counted as started";
                case NOT_READY -> who + " " + reason;
                case NOT_SPAWNED -> who + " could not be started: " + reason;
                case DIED_SERVING -> who + " " + reason + " while serving";
            };
        }
    }

    /** The serving generation, or null. */
    public Generation serving() {
        for (Generation g : generations) {
            if (g.role() == Role.SERVING) {
                return g;
            }
        }
        return null;
    }

    /** The generation being started (not one abandoned for missing its readiness deadline), or null. */
    public Generation starting() {
        for (Generation g : generations) {
            if (g.role() == Role.STARTING) {
                return g;
            }
        }
        return null;
    }

    public boolean restartInProgress() {
        return restart != null && restart.outcome() == Outcome.IN_PROGRESS;
    }
}
