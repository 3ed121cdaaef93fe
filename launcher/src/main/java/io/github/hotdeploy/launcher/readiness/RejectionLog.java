package io.github.hotdeploy.launcher.readiness;

import java.util.ArrayList;
import java.util.List;

/**
 * The log lines about notifications refused because they come from outside the generation: the
 * first few of every 10 seconds, then one line for the rest. Any process of the same user can
 * write to the notify socket; a flood of them must not become a flood of log lines.
 */
final class RejectionLog {
    static final long WINDOW_NANOS = 10_000_000_000L;
    static final int LINES_PER_WINDOW = 3;

    private final long generationPid;
    private long windowStart;
    private boolean started;
    private int logged;
    private long suppressed;

    RejectionLog(long generationPid) {
        this.generationPid = generationPid;
    }

    /** The lines to log for a notification from {@code senderPid} refused at {@code now} (nanos). */
    List<String> rejected(long senderPid, long now) {
        List<String> lines = new ArrayList<>();
        if (!started || now - windowStart >= WINDOW_NANOS) {
            summary().ifPresent(lines::add);
            started = true;
            windowStart = now;
            logged = 0;
        }
        if (logged < LINES_PER_WINDOW) {
            logged++;
            lines.add("ignoring notification from pid " + senderPid + ", not of generation " + generationPid);
        } else {
            suppressed++;
        }
        return lines;
    }

    /** The line for what was left unsaid, when the listener stops. */
    java.util.Optional<String> summary() {
        if (suppressed == 0) {
            return java.util.Optional.empty();
        }
        String line = "ignored " + suppressed + " more notification" + (suppressed == 1 ? "" : "s")
                + " from processes outside generation " + generationPid;
        suppressed = 0;
        return java.util.Optional.of(line);
    }
}
