package io.github.hotdeploy.bench.restart;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of start_server's log that matters for a restart, with the time it was read.
 * start_server prints no timestamps (neither does the Perl original), so the time is taken when
 * the harness reads the line from the pipe: a few milliseconds late at worst, never early.
 */
record LauncherEvent(Kind kind, long epochMs, List<Long> pids) {

    enum Kind {
        /** {@code received HUP, spawning a new worker} */
        HUP_RECEIVED,
        /** {@code starting new worker PID} */
        WORKER_STARTING,
        /** {@code new worker is now running, sending SIG to old workers:PIDS} */
        NEW_WORKER_RUNNING,
        /** {@code killing old workers}: the signal goes out now (after any --kill-old-delay). */
        KILLING_OLD,
        /** {@code old worker PID died, status:S} */
        OLD_WORKER_DIED,
        /** {@code new worker PID seems to have failed to start, exit status:S} */
        START_FAILED,
        /** {@code worker PID died unexpectedly with status:S, restarting} */
        WORKER_DIED_UNEXPECTEDLY,
        /** The agent in generation PID ends its drain: {@code drain (pid PID): done in} or {@code timeout after}. */
        DRAIN_DONE
    }

    // The exact wording of the original, which ours keeps word for word (docs/launcher.md).
    private static final Pattern HUP = Pattern.compile("^received HUP, spawning a new worker");
    private static final Pattern STARTING = Pattern.compile("^starting new worker (\\d+)\\s*$");
    private static final Pattern RUNNING = Pattern.compile("^new worker is now running, sending \\w+ to old workers:([\\d,]*)");
    private static final Pattern KILLING = Pattern.compile("^killing old workers");
    private static final Pattern OLD_DIED = Pattern.compile("^old worker (\\d+) died, status:");
    private static final Pattern FAILED = Pattern.compile("^new worker (\\d+) seems to have failed to start");
    private static final Pattern UNEXPECTED = Pattern.compile("^worker (\\d+) died unexpectedly");
    // The agent's line, passed through from the generation's stderr (docs/agent.md, Drain).
    private static final Pattern DRAIN_DONE = Pattern.compile("drain \\(pid (\\d+)\\): (done in|timeout after) ");

    /** The event on this line, or null: most lines are the children's own output. */
    static LauncherEvent parse(String line, long epochMs) {
        String l = line.strip();
        Matcher m;
        if (HUP.matcher(l).find()) {
            return new LauncherEvent(Kind.HUP_RECEIVED, epochMs, List.of());
        }
        if ((m = STARTING.matcher(l)).find()) {
            return new LauncherEvent(Kind.WORKER_STARTING, epochMs, List.of(Long.parseLong(m.group(1))));
        }
        if ((m = RUNNING.matcher(l)).find()) {
            List<Long> pids = new ArrayList<>();
            for (String p : m.group(1).split(",")) {
                if (!p.isEmpty()) {
                    pids.add(Long.parseLong(p));
                }
            }
            return new LauncherEvent(Kind.NEW_WORKER_RUNNING, epochMs, List.copyOf(pids));
        }
        if (KILLING.matcher(l).find()) {
            return new LauncherEvent(Kind.KILLING_OLD, epochMs, List.of());
        }
        if ((m = OLD_DIED.matcher(l)).find()) {
            return new LauncherEvent(Kind.OLD_WORKER_DIED, epochMs, List.of(Long.parseLong(m.group(1))));
        }
        if ((m = FAILED.matcher(l)).find()) {
            return new LauncherEvent(Kind.START_FAILED, epochMs, List.of(Long.parseLong(m.group(1))));
        }
        if ((m = UNEXPECTED.matcher(l)).find()) {
            return new LauncherEvent(Kind.WORKER_DIED_UNEXPECTEDLY, epochMs, List.of(Long.parseLong(m.group(1))));
        }
        if ((m = DRAIN_DONE.matcher(l)).find()) {
            return new LauncherEvent(Kind.DRAIN_DONE, epochMs, List.of(Long.parseLong(m.group(1))));
        }
        return null;
    }
}
