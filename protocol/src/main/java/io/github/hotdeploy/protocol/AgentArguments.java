package io.github.hotdeploy.protocol;

import java.util.List;

/**
 * The agent's argument string, {@code -javaagent:server-starter-agent.jar=opt,opt=value...}: the
 * option names and their defaults, shared by start_server (which writes it) and the agent (which
 * reads it). Values are whole milliseconds; signal lists are names joined by '+'.
 */
public final class AgentArguments {

    /** No info lines (warnings are still printed). */
    public static final String QUIET = "quiet";
    /** Do nothing at all. */
    public static final String OFF = "off";
    /** Once the app accepts on some adopted listeners, how long to wait for it to bind the rest. */
    public static final String PARTIAL_READY_DELAY_MS = "partialReadyDelayMs";
    /** The bound on a drain; 0: no drain, SIGTERM acts as without the agent. */
    public static final String DRAIN_TIMEOUT_MS = "drainTimeoutMs";
    /**
     * How long a connection must stay idle in a drain before it is closed (HTTP keep-alive) or left
     * to the app's shutdown (other protocols).
     */
    public static final String DRAIN_GRACE_MS = "drainGraceMs";
    /** Signals that drain besides TERM. */
    public static final String DRAIN_SIGNALS = "drainSignals";

    public static final long DEFAULT_PARTIAL_READY_DELAY_MS = 1000;
    public static final long DEFAULT_DRAIN_TIMEOUT_MS = 30000;
    public static final long DEFAULT_DRAIN_GRACE_MS = 1000;

    private AgentArguments() {
    }

    /** What start_server passes: the bounds always spelt out, so that logs and `ps` show those in force. */
    public static String format(long drainTimeoutMs, long drainGraceMs, List<String> drainSignals) {
        StringBuilder args = new StringBuilder(DRAIN_TIMEOUT_MS).append('=').append(drainTimeoutMs)
                .append(',').append(DRAIN_GRACE_MS).append('=').append(drainGraceMs);
        if (!drainSignals.isEmpty()) {
            args.append(',').append(DRAIN_SIGNALS).append('=');
            for (int i = 0; i < drainSignals.size(); i++) {
                args.append(i == 0 ? "" : "+").append(drainSignals.get(i));
            }
        }
        return args.toString();
    }
}
