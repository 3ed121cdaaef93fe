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

    /** True if this child will send READY=1 (e.g. the agent was injected), so start waits for it. */
    default boolean expectsReadiness(long pid) {
        return false;
    }

    /**
     * Some child changed state: reap whatever is not a generation (as PID 1, the kernel hands
     * start_server every orphan of the container). Called before the generations are reaped.
     */
    default void reapOthers() {
    }

    /** The generation has started or died: nothing more is awaited from it (e.g. READY=1). */
    default void settled(long pid) {
    }

    final class WorkerSpawnException extends Exception {
        public WorkerSpawnException(String message) {
            super(message);
        }
    }
}
