package io.github.hotdeploy.agent;

import io.github.hotdeploy.protocol.AgentArguments;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The agent's argument string: {@code -javaagent:server-starter-agent.jar[=opt,opt=value...]}.
 *
 * <ul>
 *   <li>{@code quiet}: no info lines (warnings are still printed).</li>
 *   <li>{@code partialReadyDelayMs=N} (default {@link AgentArguments#DEFAULT_PARTIAL_READY_DELAY_MS}):
 *       how long the agent waits, once every listener the app bound so far is accepted on, for the
 *       app to bind the remaining inherited listeners before it declares the generation ready
 *       anyway.</li>
 *   <li>{@code drainTimeoutMs=N} (default {@link AgentArguments#DEFAULT_DRAIN_TIMEOUT_MS}): the
 *       bound on the drain that SIGTERM starts (see docs/agent.md, Drain); 0 turns the drain off,
 *       leaving SIGTERM to the JVM alone.
 *       start_server passes its {@code --drain-timeout} here.</li>
 *   <li>{@code drainGraceMs=N} (default {@link AgentArguments#DEFAULT_DRAIN_GRACE_MS}): how long a
 *       connection must stay idle in a drain before it is closed (HTTP keep-alive) or left to the
 *       app's shutdown (other protocols).
 *       start_server passes its {@code --drain-grace} here.</li>
 *   <li>{@code drainSignals=USR1+INT}: signals that start the drain besides SIGTERM, by name
 *       ('+'-separated, "SIG" optional); start_server passes its {@code --signal-on-hup} and
 *       {@code --signal-on-term} here when they are not TERM.</li>
 *   <li>{@code off}: do nothing at all (for ruling the agent out without editing the command).</li>
 * </ul>
 * Unknown options are reported once and ignored: a typo must not stop an application. Names and
 * defaults are the protocol module's {@link AgentArguments}.
 */
public final class AgentOptions {

    private static final String PARTIAL = AgentArguments.PARTIAL_READY_DELAY_MS + "=";
    private static final String TIMEOUT = AgentArguments.DRAIN_TIMEOUT_MS + "=";
    private static final String GRACE = AgentArguments.DRAIN_GRACE_MS + "=";
    private static final String SIGNALS = AgentArguments.DRAIN_SIGNALS + "=";

    private final boolean quiet;
    private final boolean off;
    private final long partialReadyDelayMs;
    private final long drainTimeoutMs;
    private final long drainGraceMs;
    private final List<String> drainSignals;

    private AgentOptions(boolean quiet, boolean off, long partialReadyDelayMs, long drainTimeoutMs,
            long drainGraceMs, List<String> drainSignals) {
        this.quiet = quiet;
        this.off = off;
        this.partialReadyDelayMs = partialReadyDelayMs;
        this.drainTimeoutMs = drainTimeoutMs;
        this.drainGraceMs = drainGraceMs;
        this.drainSignals = Collections.unmodifiableList(drainSignals);
    }

    public static AgentOptions parse(String args) {
        boolean quiet = false;
        boolean off = false;
        long delay = AgentArguments.DEFAULT_PARTIAL_READY_DELAY_MS;
        long drain = AgentArguments.DEFAULT_DRAIN_TIMEOUT_MS;
        long grace = AgentArguments.DEFAULT_DRAIN_GRACE_MS;
        List<String> signals = new ArrayList<String>();
        StringBuilder unknown = new StringBuilder();
        if (args != null) {
            for (String raw : args.split(",")) {
                String option = raw.trim();
                if (option.isEmpty()) {
                    continue;
                }
                if (option.equals(AgentArguments.QUIET)) {
                    quiet = true;
                } else if (option.equals(AgentArguments.OFF)) {
                    off = true;
                } else if (option.startsWith(PARTIAL)) {
                    long value = millis(option, PARTIAL);
                    if (value < 0) {
                        unknown.append(unknown.length() == 0 ? "" : ", ").append(option);
                    } else {
                        delay = value;
                    }
                } else if (option.startsWith(TIMEOUT)) {
                    long value = millis(option, TIMEOUT);
                    if (value < 0) {
                        unknown.append(unknown.length() == 0 ? "" : ", ").append(option);
                    } else {
                        drain = value;
                    }
                } else if (option.startsWith(GRACE)) {
                    long value = millis(option, GRACE);
                    if (value < 0) {
                        unknown.append(unknown.length() == 0 ? "" : ", ").append(option);
                    } else {
                        grace = value;
                    }
                } else if (option.startsWith(SIGNALS)) {
                    List<String> names = signalNames(option.substring(SIGNALS.length()));
                    if (names == null) {
                        unknown.append(unknown.length() == 0 ? "" : ", ").append(option);
                    } else {
                        signals = names;
                    }
                } else {
                    unknown.append(unknown.length() == 0 ? "" : ", ").append(option);
                }
            }
        }
        if (unknown.length() > 0) {
            Log.warn("ignoring unknown or invalid agent option(s) '" + unknown
                    + "' (known: quiet, off, partialReadyDelayMs=<millis>, drainTimeoutMs=<millis>,"
                    + " drainGraceMs=<millis>, drainSignals=<NAME+NAME...>)");
        }
        return new AgentOptions(quiet, off, delay, drain, grace, signals);
    }

    /** "usr1+SIGINT" as [USR1, INT]; null when a name is not letters and digits. */
    private static List<String> signalNames(String value) {
        List<String> names = new ArrayList<String>();
        for (String raw : value.split("\\+")) {
            String name = raw.trim().toUpperCase(java.util.Locale.ROOT);
            if (name.startsWith("SIG")) {
                name = name.substring(3);
            }
            if (!isSignalName(name)) {
                return null;
            }
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    // No regex: java.util.regex would cost start-up time on every restart.
    private static boolean isSignalName(String name) {
        if (name.isEmpty() || name.charAt(0) < 'A' || name.charAt(0) > 'Z') {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
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

    /** How long a connection must stay idle in a drain before it is closed or left to the app. */
    public long drainGraceMs() { return drainGraceMs; }

    /** Signals that drain besides TERM (names without "SIG"). */
    public List<String> drainSignals() { return drainSignals; }
}
