package io.github.hotdeploy.launcher.supervision;

/**
 * What wakes the supervisor. Signal handlers and helper threads only post these; the supervisor
 * loop alone owns and changes state.
 */
public sealed interface Event {

    /** A signal arrived (its number). */
    record SignalReceived(int signal) implements Event {
    }

    /** SIGCHLD: some child changed state; every known child is polled with waitpid(WNOHANG). */
    record ChildStateChanged() implements Event {
    }

    /** A process of a generation reported READY=1 over the notify socket. */
    record Ready(long pid) implements Event {
    }

    /**
     * A signalled generation's application has shut down (its shutdown hooks have run): its JVM
     * only writes what it loaded for the class cache before it exits (JDK 25's recording).
     */
    record ApplicationDown(long pid) implements Event {
    }
}
