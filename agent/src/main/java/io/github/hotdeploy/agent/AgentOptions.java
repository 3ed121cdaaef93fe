package io.github.hotdeploy.agent;

/**
 * The agent's argument string: {@code -javaagent:server-starter-agent.jar[=opt,opt=value...]}.
 *
 * <ul>
 *   <li>{@code quiet}: no info lines (warnings are still printed).</li>
 *   <li>{@code partialReadyDelayMs=N} (default 1000): how long the agent waits, once every
 *       listener the app bound so far is accepted on, for the app to bind the remaining inherited
 *       listeners before it declares the generation ready anyway.</li>
 *   <li>{@code off}: do nothing at all (for ruling the agent out without editing the command).</li>
 *   <li>{@code drainTimeoutMs=N}: accepted because the launcher passes it for --drain-timeout, but
 *       this agent does not drain yet: it says so once, and the app stops as its own SIGTERM
 *       handling decides.</li>
 * </ul>
 * Unknown options are reported once and ignored: a typo must not stop an application.
 */
public final class AgentOptions {

    public static final long DEFAULT_PARTIAL_READY_DELAY_MS = 1000;

    private final boolean quiet;
    private final boolean off;
    private final long partialReadyDelayMs;

    private AgentOptions(boolean quiet, boolean off, long partialReadyDelayMs) {
        this.quiet = quiet;
        this.off = off;
        this.partialReadyDelayMs = partialReadyDelayMs;
    }

    public static AgentOptions parse(String args) {
        boolean quiet = false;
        boolean off = false;
        long delay = DEFAULT_PARTIAL_READY_DELAY_MS;
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
                } else if (option.startsWith("drainTimeoutMs=")) {
                    Log.warn("'" + option + "': this agent version does not drain; the application stops"
                            + " the way its own SIGTERM handling decides");
                } else if (option.startsWith("partialReadyDelayMs=")) {
                    try {
                        delay = Long.parseLong(option.substring("partialReadyDelayMs=".length()));
                    } catch (NumberFormatException e) {
                        delay = -1;
                    }
                    if (delay < 0) {
                        unknown.append(unknown.length() == 0 ? "" : ", ").append(option);
                        delay = DEFAULT_PARTIAL_READY_DELAY_MS;
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
        return new AgentOptions(quiet, off, delay);
    }

    public boolean quiet() { return quiet; }

    public boolean off() { return off; }

    public long partialReadyDelayMs() { return partialReadyDelayMs; }
}
