package io.github.hotdeploy.launcher.cli;

import io.github.hotdeploy.launcher.sockets.ListenSpec;
import io.github.hotdeploy.launcher.supervision.SupervisorSettings;
import java.time.Duration;
import java.util.List;

/**
 * A validated command line, with environment-variable overrides applied. What the supervisor
 * acts on is its own record, {@link SupervisorSettings}, handed to it as it is.
 *
 * @param supervision the timers and signals of the life cycle
 * @param drainTimeout how long the agent lets a stopping generation finish its requests
 * @param drainGrace how long a connection of a draining generation must stay idle before the agent
 *     closes it (HTTP keep-alive) or leaves it to the app's shutdown
 * @param classCache keep class caches for Java children ({@code --class-cache=auto})
 * @param cacheDir where, or null when no directory could be named (the cache is then off)
 */
public record Settings(List<ListenSpec> sockets, String directory, List<String> command,
                       SupervisorSettings supervision,
                       String pidFile, String statusFile, String envDir, String logFile, boolean daemonize,
                       int backlog, Duration restartTimeout, Readiness readiness, String javaAgent,
                       Duration drainTimeout, Duration drainGrace, boolean classCache, String cacheDir) {

    /** [ours] When a new generation counts as started. */
    public enum Readiness {
        /** READY=1 awaited from Java children that got the agent; the original's rule for the rest. */
        AUTO,
        /** READY=1 awaited from every generation, for programs that speak sd_notify ({@code always}). */
        NOTIFY,
        /** The original's rule only: alive after --interval ({@code never}). */
        NONE
    }
}
