package io.github.hotdeploy.launcher.client;

import io.github.hotdeploy.launcher.files.StateFile;
import io.github.hotdeploy.launcher.supervision.Snapshot;
import io.github.hotdeploy.launcher.systemd.SystemdMessages;
import io.github.hotdeploy.protocol.JsonText;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * What {@code --status} prints, for a person or ({@code --json}) for a script: pure functions of
 * the state read and of the time now.
 */
final class StatusReport {
    private StatusReport() {
    }

    /** Exit status 0 is for this only. */
    static boolean serving(Snapshot s) {
        return s.serving() != null;
    }

    static String text(StateFile.State state, long nowMillis) {
        Snapshot s = state.snapshot();
        StringBuilder b = new StringBuilder();
        b.append("start_server (pid ").append(state.pid()).append(") ").append(serving(s) ? "serving" : "not serving")
                .append(": ").append(SystemdMessages.status(s)).append('\n');
        for (Snapshot.Generation g : s.generations()) {
            b.append(String.format(Locale.ROOT, "  generation %-4d pid %-8d %-9s since %s, %s%s%n", g.number(), g.pid(),
                    role(g.role()), when(state, g.sinceNanos(), nowMillis), readiness(state, g, nowMillis),
                    classCache(g.classCache())));
        }
        if (s.retryAtNanos() != 0) {
            b.append("  next attempt ").append(when(state, s.retryAtNanos(), nowMillis)).append('\n');
        }
        if (s.restartQueued()) {
            b.append("  one more restart is queued (a HUP came during this one)\n");
        }
        Snapshot.Restart r = s.restart();
        b.append("last restart: ");
        if (r == null) {
            b.append("none\n");
        } else {
            b.append('#').append(r.sequence()).append(" (").append(trigger(r.trigger())).append(") requested ")
                    .append(when(state, r.requestedAtNanos(), nowMillis)).append(": ");
            switch (r.outcome()) {
                case IN_PROGRESS -> b.append("in progress");
                case SUCCEEDED -> b.append("succeeded ").append(when(state, r.endedAtNanos(), nowMillis))
                        .append(", generation ").append(r.generation()).append(" took over");
                case FAILED -> b.append("failed ").append(when(state, r.endedAtNanos(), nowMillis))
                        .append(" (generation ").append(r.generation()).append(')');
            }
            if (r.failedAttempts() > 0 && r.outcome() != Snapshot.Outcome.FAILED) {
                b.append(", after ").append(r.failedAttempts()).append(" failed attempt")
                        .append(r.failedAttempts() == 1 ? "" : "s");
            }
            b.append('\n');
        }
        Snapshot.Failure f = s.lastFailure();
        if (f != null) {
            b.append("last failure: ").append(f.describe()).append(", ").append(when(state, f.atNanos(), nowMillis))
                    .append('\n');
        }
        return b.toString();
    }

    static String notRunningText(String reason) {
        return "start_server is not running: " + reason + "\n";
    }

    static String json(StateFile.State state) {
        Snapshot s = state.snapshot();
        Json j = new Json();
        j.open('{');
        j.field("running").value(true);
        j.field("serving").value(serving(s));
        j.field("pid").value(state.pid());
        j.field("phase").value(lower(s.phase().name()));
        j.field("status").value(SystemdMessages.status(s));
        j.field("lastGeneration").value(s.lastGeneration());
        j.field("generations").open('[');
        for (Snapshot.Generation g : s.generations()) {
            j.element().open('{');
            j.field("generation").value(g.number());
            j.field("pid").value(g.pid());
            j.field("state").value(role(g.role()));
            j.field("since").value(iso(state, g.sinceNanos()));
            j.field("readiness").value(lower(g.readiness().name()));
            j.field("readyAt").value(g.readyAtNanos() == 0 ? null : iso(state, g.readyAtNanos()));
            j.field("classCache").value(lower(g.classCache().name()));
            j.close('}');
        }
        j.close(']');
        j.field("nextAttemptAt").value(s.retryAtNanos() == 0 ? null : iso(state, s.retryAtNanos()));
        j.field("restartQueued").value(s.restartQueued());
        j.field("lastRestart");
        Snapshot.Restart r = s.restart();
        if (r == null) {
            j.value(null);
        } else {
            j.open('{');
            j.field("sequence").value(r.sequence());
            j.field("trigger").value(trigger(r.trigger()));
            j.field("requestedAt").value(iso(state, r.requestedAtNanos()));
            j.field("outcome").value(lower(r.outcome().name()));
            j.field("failedAttempts").value(r.failedAttempts());
            j.field("generation").value(r.generation());
            j.field("endedAt").value(r.endedAtNanos() == 0 ? null : iso(state, r.endedAtNanos()));
            j.close('}');
        }
        j.field("lastFailure");
        Snapshot.Failure f = s.lastFailure();
        if (f == null) {
            j.value(null);
        } else {
            j.open('{');
            j.field("generation").value(f.generation());
            j.field("pid").value(f.pid());
            j.field("kind").value(lower(f.kind().name()));
            j.field("reason").value(f.reason());
            j.field("at").value(iso(state, f.atNanos()));
            j.field("description").value(f.describe());
            j.close('}');
        }
        j.close('}');
        return j.toString() + "\n";
    }

    /** When there is nothing to show but why: no start_server runs, or it has written no state. */
    static String withoutStateJson(boolean running, String reason) {
        Json j = new Json();
        j.open('{');
        j.field("running").value(running);
        j.field("serving").value(false);
        j.field("reason").value(reason);
        j.close('}');
        return j.toString() + "\n";
    }

    private static String role(Snapshot.Role role) {
        return lower(role.name());
    }

    private static String trigger(Snapshot.Trigger trigger) {
        return trigger == Snapshot.Trigger.HUP ? "HUP" : "auto-restart";
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String readiness(StateFile.State state, Snapshot.Generation g, long nowMillis) {
        return switch (g.readiness()) {
            case NOT_AWAITED -> "readiness not awaited";
            case AWAITED -> "waiting for READY=1";
            case REPORTED -> "READY=1 " + when(state, g.readyAtNanos(), nowMillis);
        };
    }

    private static String classCache(Snapshot.ClassCacheUse use) {
        return switch (use) {
            case NONE -> "";
            case RECORDING -> ", recording for the class cache";
            case CACHED -> ", booted from the class cache";
        };
    }

    private static String iso(StateFile.State state, long nanos) {
        return Instant.ofEpochMilli(state.wallMillisOf(nanos)).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** {@code 2025-12-06T12:00:01Z (5 min ago)}, or {@code (in 3 s)} for a time to come. */
    static String when(StateFile.State state, long nanos, long nowMillis) {
        long at = state.wallMillisOf(nanos);
        long seconds = Math.abs(nowMillis - at) / 1000;
        String span = seconds < 120 ? seconds + " s" : seconds < 7200 ? seconds / 60 + " min"
                : seconds < 172_800 ? seconds / 3600 + " h" : seconds / 86_400 + " d";
        return iso(state, nanos) + (at <= nowMillis ? " (" + span + " ago)" : " (in " + span + ")");
    }

    /** Just enough JSON writing for one flat report; strings escaped as RFC 8259 asks. */
    private static final class Json {
        private final StringBuilder out = new StringBuilder();
        private boolean first = true;

        void open(char c) {
            out.append(c);
            first = true;
        }

        void close(char c) {
            out.append(c);
            first = false;
        }

        Json field(String name) {
            element();
            string(name);
            out.append(':');
            first = true; // the value follows without a comma
            return this;
        }

        Json element() {
            if (!first) {
                out.append(',');
            }
            first = false;
            return this;
        }

        void value(Object v) {
            if (v == null) {
                out.append("null");
            } else if (v instanceof String str) {
                string(str);
            } else {
                out.append(v);
            }
            first = false;
        }

        private void string(String s) {
            JsonText.quote(out, s);
        }

        @Override
        public String toString() {
            return out.toString();
        }
    }
}
