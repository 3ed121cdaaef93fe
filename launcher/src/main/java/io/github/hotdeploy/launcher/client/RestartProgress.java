package io.github.hotdeploy.launcher.client;

import io.github.hotdeploy.launcher.supervision.Snapshot;
import io.github.hotdeploy.launcher.supervision.Supervisor;
import io.github.hotdeploy.launcher.systemd.SystemdMessages;

/**
 * How far a restart asked for by {@code --restart} has got, judged from start_server's state:
 * a pure function, so that every case is tested without processes.
 */
final class RestartProgress {

    enum Kind { WAITING, SUCCEEDED, FAILED }

    /**
     * @param message for FAILED, the one-line error; for SUCCEEDED, a warning when attempts failed
     *     before one took over, else empty; for WAITING, where the restart stands
     */
    record Verdict(Kind kind, String message) {
    }

    private RestartProgress() {
    }

    /**
     * @param baseline the highest generation number given out before the HUP: every later one
     *     belongs to this restart (or to its retries)
     */
    static Verdict judge(int baseline, Snapshot s) {
        if (s.phase() == Supervisor.Phase.STOPPING || s.phase() == Supervisor.Phase.DONE) {
            return new Verdict(Kind.FAILED, "restart failed: start_server is stopping");
        }
        Snapshot.Generation serving = s.serving();
        // An old generation whose application is down and whose JVM only writes its class cache
        // is gone as far as the restart goes: a generation that records no cache would have
        // exited at that point (docs/launcher.md, class caches).
        long remaining = s.generations().stream().filter(g -> g.role() != Snapshot.Role.EXITING).count();
        boolean complete = remaining == 1 && serving != null && serving.number() > baseline
                && !s.restartInProgress() && !s.restartQueued();
        Snapshot.Failure failure = s.lastFailure();
        boolean failedSince = failure != null && failure.generation() > baseline;
        if (complete) {
            Snapshot.Restart r = s.restart();
            String warning = failedSince
                    ? "generation " + serving.number() + " (pid " + serving.pid() + ") took over after "
                    + (r != null && r.failedAttempts() > 1 ? r.failedAttempts() + " failed attempts" : "a failed attempt")
                    + " (the last: " + failure.describe() + ")"
                    : "";
            return new Verdict(Kind.SUCCEEDED, warning);
        }
        if (failedSince) {
            String left = serving != null
                    ? "generation " + serving.number() + " (pid " + serving.pid() + ") keeps serving"
                    : "no generation is serving";
            return new Verdict(Kind.FAILED, "restart failed: " + failure.describe() + "; " + left
                    + "; start_server keeps trying");
        }
        return new Verdict(Kind.WAITING, SystemdMessages.status(s));
    }
}
