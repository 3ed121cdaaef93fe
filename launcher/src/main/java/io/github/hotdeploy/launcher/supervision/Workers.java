package io.github.hotdeploy.launcher.supervision;

import java.util.OptionalInt;

/**
 * The supervisor's only seam to the operating system: start a generation, signal a process,
 * collect an exit status. The real one spawns with posix_spawn; tests script a fake.
 */
public interface Workers {

    /**
     * Starts generation {@code generation}.
     *
     * @return the pid
     * @throws WorkerSpawnException if the program could not be started at all
     */
    long spawn(int generation, boolean afterFirstWakeup) throws WorkerSpawnException;

    /** Sends a signal; a process that is already gone is not an error. */
    void signal(long pid, int signal);

    /** The raw wait status (as Perl's $?) if the child has exited, reaping it; empty if it still runs. */
    OptionalInt reap(long pid);

    /**
     * True if this child must send READY=1 before it counts as started, whatever happens: its
     * program is known to start a JVM, which gets the agent (or --wait-ready=always). Asked once,
     * at spawn.
     */
    default boolean expectsReadiness(long pid) {
        return false;
    }

    /**
     * Some child changed state: reap whatever is not a generation (as PID 1, the kernel hands
     * start_server every orphan of the container). Called before the generations are reaped.
     */
    default void reapOthers() {
    }

    /**
     * A JVM of this generation (the child or any descendant) that runs the agent and is still
     * alive, described for the log ("JVM 1234"), or empty. Any program may start a JVM (through
     * a wrapper, a script, jsvc): while such a JVM lives, start_server waits for its READY=1 too.
     * Asked again while the answer may change.
     */
    default java.util.Optional<String> agentRunning(long pid) {
        return java.util.Optional.empty();
    }

    /** This generation now counts as started: it is the one serving. */
    default void serving(long pid) {
    }

    /** Connections waiting in the accept queue of each served TCP listener, by key (empty: unknown). */
    default java.util.Map<String, Integer> acceptQueues() {
        return java.util.Map.of();
    }

    /** What the class cache does for a generation spawned and not yet reaped. */
    default Snapshot.ClassCacheUse classCache(long pid) {
        return Snapshot.ClassCacheUse.NONE;
    }

    /** What the agents of a live generation reported. */
    default ListenerDiagnosis.Agents agents(long pid) {
        return ListenerDiagnosis.Agents.NONE;
    }

    /**
     * Why a generation that just died probably died, from what its agents reported (a bind to a
     * port another process listens on), or empty. Asked right after it was reaped.
     */
    default java.util.Optional<String> failureCause(long pid) {
        return java.util.Optional.empty();
    }

    /** The generation has started or died: nothing more is awaited from it (e.g. READY=1). */
    default void settled(long pid) {
    }

    /** start_server stops: it is about to signal every generation, and will wait for them all. */
    default void stopping() {
    }

    final class WorkerSpawnException extends Exception {
        public WorkerSpawnException(String message) {
            super(message);
        }
    }
}
