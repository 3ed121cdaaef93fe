package io.github.hotdeploy.agent;

/**
 * The agent's argument string: {@code -javaagent:server-starter-agent.jar[=opt,opt=value...]}.
 *
 * <ul>
 *   <li>{@code quiet}: no info lines (warnings are still printed).</li>
 *   <li>{@code partialReadyDelayMs=N} (default 1000): how long the agent waits, once every
 *       listener the app bound so far is accepted on, for the app to bind the remaining inherited
 *       listeners before it declares the generation ready anyway.</li>
 *   <li>{@code drainTimeoutMs=N} (default 30000): the bound on the drain that SIGTERM starts
 *       (see docs/agent.md, Drain); 0 turns the drain off, leaving SIGTERM to the JVM alone.
 *       start_server passes its {@code --drain-timeout} here.</li>
 *   <li>{@code off}: do nothing at all (for ruling the agent out without editing the command).</li>
 * </ul>
 * Unknown options are reported once and ignored: a typo must not stop an application.
 */
public final class AgentOptions {

    public static final long DEFAULT_PARTIAL_READY_DELAY_MS = 1000;
    public static final long DEFAULT_DRAIN_TIMEOUT_MS = 30000;

    private final boolean quiet;
    private final boolean off;
    private final long partialReadyDelayMs;
    private final long drainTimeoutMs;

    private AgentOptions(boolean quiet, boolean off, long partialReadyDelayMs, long drainTimeoutMs) {
        this.quiet = quiet;
        this.off = off;
        this.partialReadyDelayMs = partialReadyDelayMs;
        this.drainTimeoutMs = drainTimeoutMs;
    }

    public static AgentOptions parse(String args) {
        boolean quiet = false;
        boolean off = false;
        long delay = DEFAULT_PARTIAL_READY_DELAY_MS;
        long drain = DEFAULT_DRAIN_TIMEOUT_MS;
        StringBuilder unknown = new StringBuilder();
        if (args != null) {
            for (String raw : args.split(",")) {
                String option = raw.trim();
                if (option.isEmpty()) {
                    continue;
                }
                if (option.equals("quiet")) {
                    quiet = true;
                } else if (option.equals("off")) {
                    off = true;
                } else if (option.startsWith("partialReadyDelayMs=")) {
                    long value = millis(option, "partialReadyDelayMs=");
                    if (value < 0) {
                        unknown.append(unknown.length() == 0 ? "" : ", ").append(option);
                    } else {
                        delay = value;
                    }
                } else if (option.startsWith("drainTimeoutMs=")) {
                    long value = millis(option, "drainTimeoutMs=");
                    if (value < 0) {
                        unknown.append(unknown.length() == 0 ? "" : ", ").append(option);
                    } else {
                        drain = value;
                    }
                } else {
                    unknown.append(unknown.length() == 0 ? "" : ", ").append(option);
                }
            }
        }
        if (unknown.length() > 0) {
            Log.warn("ignoring unknown or invalid agent option(s) '" + unknown
                    + "' (known: quiet, off, partialReadyDelayMs=<millis>, drainTimeoutMs=<millis>)");
        }
        return new AgentOptions(quiet, off, delay, drain);
    }

    /** The value after the prefix, or -1 when it is not a non-negative whole number. */
    private static long millis(String option, String prefix) {
        try {
            long value = Long.parseLong(option.substring(prefix.length()));
            return value < 0 ? -1 : value;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public boolean quiet() { return quiet; }

    public boolean off() { return off; }

    public long partialReadyDelayMs() { return partialReadyDelayMs; }

    /** 0: no drain. */
    public long drainTimeoutMs() { return drainTimeoutMs; }
}
