package io.github.hotdeploy.launcher.cli;

import io.github.hotdeploy.launcher.sockets.ListenSpec;
import java.time.Duration;
import java.util.List;

/**
 * A validated command line, with environment-variable overrides applied.
 *
 * @param interval how long a generation must live to count as started
 * @param readyInterval the same for a generation whose READY=1 is awaited: --interval if given, else none
 * @param autoRestartInterval null unless auto-restart is enabled
 * @param killOldDelay already defaulted (5 s with auto-restart, else 0)
 * @param killAfter null: never escalate to SIGKILL (the original's behaviour)
 * @param drainTimeout how long the agent lets a stopping generation finish its requests
 * @param classCache keep class caches for Java children ({@code --class-cache=auto})
 * @param cacheDir where, or null when no directory could be named (the cache is then off)
 * @param drainGrace how long a connection of a draining generation must stay idle before the agent
 *     closes it (HTTP keep-alive) or leaves it to the app's shutdown
 */
public record Settings(List<ListenSpec> sockets, String directory, Duration interval, Duration readyInterval,
                       String signalOnHupName, int signalOnHup, String signalOnTermName, int signalOnTerm,
                       String pidFile, String statusFile, String envDir, String logFile, boolean daemonize,
                       Duration autoRestartInterval, Duration killOldDelay, int backlog,
                       Duration readinessTimeout, Duration restartTimeout, Readiness readiness, String javaAgent,
                       Duration killAfter, Duration drainTimeout, Duration drainGrace, boolean classCache, String cacheDir,
                       List<String> command) {

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
