package io.github.hotdeploy.agent.drain;

import java.util.List;

/**
 * Puts the drain between SIGTERM (and the signals start_server was told to send instead, its
 * {@code --signal-on-hup} and {@code --signal-on-term}) and the JVM's own reaction to them. The
 * implementation uses {@code sun.misc.Signal}, which {@code javac --release 8} does not offer, so
 * it is compiled apart (src/unsupported/java) and registers itself from its static initialiser.
 */
public interface TermInterceptor {

    /**
     * Routes SIGTERM and each of {@code others} to the trigger's drain (run once, on the first of them),
     * then to whatever handled that signal before (the JVM's shutdown, the app's own handler, or
     * the default action). A signal of these that arrives while the drain runs tells the trigger
     * ({@code repeated()}) and otherwise waits for the first one's hand-over; one that arrives after the
     * hand-over goes to its own previous handler, as without the agent.
     *
     * @param others signal names besides TERM ("USR1"); those that cannot be intercepted (used by
     *     the JVM, unknown, ignored) are left as they were
     * @return what could not be intercepted among {@code others}, each with the reason
     * @throws Exception when TERM cannot be intercepted (-Xrs, or TERM ignored): nothing changed
     */
    List<String> install(List<String> others, DrainTrigger trigger) throws Exception;
}
