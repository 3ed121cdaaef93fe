package io.github.hotdeploy.launcher.systemd;

import io.github.hotdeploy.launcher.supervision.Snapshot;
import io.github.hotdeploy.launcher.supervision.Supervisor;
import java.util.ArrayList;
import java.util.List;

/**
 * What start_server tells systemd (sd_notify, {@code Type=notify}) when its state changes: a pure
 * function of the snapshots before and after.
 *
 * <ul>
 *   <li>{@code READY=1} once the first generation counts as started;
 *   <li>{@code RELOADING=1} with {@code MONOTONIC_USEC} when a restart begins (HUP, auto-restart),
 *       and {@code READY=1} when it ends: the new generation took over, or an attempt failed (the
 *       old generation still serves, so the service is still up; the STATUS says what failed);
 *   <li>{@code STOPPING=1} when start_server begins to stop;
 *   <li>{@code STATUS=} a line a person can read, whenever it changes.
 * </ul>
 *
 * systemd reads the assignments of one datagram in its own fixed order (READY before RELOADING),
 * so a restart that ends as a queued one begins can be told in one datagram.
 */
public final class SystemdMessages {
    public static final String READY = "READY=1";
    public static final String RELOADING = "RELOADING=1";
    public static final String STOPPING = "STOPPING=1";
    public static final String WATCHDOG = "WATCHDOG=1";

    private SystemdMessages() {
    }

    /** The datagram for the change from {@code before} (null at the start) to {@code after}; "" for none. */
    public static String between(Snapshot before, Snapshot after) {
        List<String> lines = new ArrayList<>();
        boolean stopping = after.phase() == Supervisor.Phase.STOPPING || after.phase() == Supervisor.Phase.DONE;
        boolean wasStopping = before != null && (before.phase() == Supervisor.Phase.STOPPING
                || before.phase() == Supervisor.Phase.DONE);
        boolean firstReady = after.everServed() && (before == null || !before.everServed());
        boolean restartEnded = before != null && before.restartInProgress()
                && (!after.restartInProgress() || after.restart().sequence() != before.restart().sequence());
        boolean restartBegan = after.restartInProgress()
                && (before == null || !before.restartInProgress() || after.restart().sequence() != before.restart().sequence());
        if (!stopping && (firstReady || restartEnded)) {
            lines.add(READY);
        }
        if (!stopping && restartBegan) {
            lines.add(RELOADING);
            lines.add("MONOTONIC_USEC=" + after.restart().requestedAtNanos() / 1000);
        }
        if (stopping && !wasStopping) {
            lines.add(STOPPING);
        }
        String status = status(after);
        if (before == null || !status.equals(status(before))) {
            lines.add("STATUS=" + status);
        }
        return String.join("\n", lines);
    }

    /**
     * One line on where start_server stands: {@code generation 3 (pid 1234) serving},
     * {@code generation 4 starting, 3 serving}, {@code restart failed: ...}.
     */
    public static String status(Snapshot s) {
        if (s.phase() == Supervisor.Phase.DONE) {
            return "stopped";
        }
        if (s.phase() == Supervisor.Phase.STOPPING) {
            List<Snapshot.Generation> left = s.generations();
            return left.isEmpty() ? "stopping" : "stopping: " + names(left) + " draining";
        }
        Snapshot.Generation serving = s.serving();
        Snapshot.Generation starting = s.starting();
        List<Snapshot.Generation> leaving = new ArrayList<>();
        List<Snapshot.Generation> exiting = new ArrayList<>();
        for (Snapshot.Generation g : s.generations()) {
            if (g.role() == Snapshot.Role.DRAINING || g.role() == Snapshot.Role.RETIRING) {
                leaving.add(g);
            } else if (g.role() == Snapshot.Role.EXITING) {
                exiting.add(g);
            }
        }
        StringBuilder line = new StringBuilder();
        if (serving != null) {
            boolean restartFailed = s.restart() != null && s.restart().outcome() == Snapshot.Outcome.FAILED
                    && s.lastFailure() != null;
            if (restartFailed) {
                line.append("restart failed: ").append(s.lastFailure().describe()).append("; ");
            }
            if (starting != null) {
                line.append("generation ").append(starting.number()).append(" starting, ")
                        .append(serving.number()).append(" serving");
            } else {
                line.append("generation ").append(serving.number()).append(" (pid ").append(serving.pid())
                        .append(") serving");
            }
            leaving(line, leaving, exiting);
            if (restartFailed && starting == null) {
                line.append(", retrying");
            }
            return line.toString();
        }
        if (s.lastFailure() != null) {
            line.append(s.everServed() ? "" : "start failed: ").append(s.lastFailure().describe()).append("; ");
        }
        if (starting != null) {
            line.append("generation ").append(starting.number()).append(" (pid ").append(starting.pid())
                    .append(") starting");
            if (starting.readiness() == Snapshot.Readiness.AWAITED) {
                line.append(", waiting for READY=1");
            }
        } else if (s.lastFailure() != null) {
            line.append("retrying");
        } else {
            line.append("starting");
        }
        leaving(line, leaving, exiting);
        return line.toString();
    }

    private static void leaving(StringBuilder line, List<Snapshot.Generation> draining, List<Snapshot.Generation> exiting) {
        if (!draining.isEmpty()) {
            line.append(", ").append(numbers(draining)).append(" draining");
        }
        if (!exiting.isEmpty()) {
            line.append(", ").append(numbers(exiting)).append(" exiting (writing the class cache)");
        }
    }

    private static String names(List<Snapshot.Generation> generations) {
        if (generations.size() == 1) {
            Snapshot.Generation g = generations.get(0);
            return "generation " + g.number() + " (pid " + g.pid() + ")";
        }
        return "generations " + numbers(generations);
    }

    private static String numbers(List<Snapshot.Generation> generations) {
        StringBuilder sb = new StringBuilder();
        for (Snapshot.Generation g : generations) {
            sb.append(sb.length() == 0 ? "" : ", ").append(g.number());
        }
        return sb.toString();
    }
}
