package io.github.hotdeploy.agent.drain;

/**
 * Puts the drain between SIGTERM and the JVM's own reaction to it. The implementation uses
 * {@code sun.misc.Signal}, which {@code javac --release 8} does not offer, so it is compiled
 * apart (src/unsupported/java) and registers itself from its static initialiser.
 */
public interface TermInterceptor {

    /**
     * Routes SIGTERM to {@code drain} (run once, on the first TERM), then to whatever handled
     * TERM before (the JVM's shutdown, or the app's own handler). A TERM that arrives while the
     * drain runs calls {@code repeated} and otherwise waits for the first one's hand-over.
     *
     * @throws Exception when TERM cannot be intercepted (-Xrs, or TERM ignored): nothing changed
     */
    void install(Runnable drain, Runnable repeated) throws Exception;
}
