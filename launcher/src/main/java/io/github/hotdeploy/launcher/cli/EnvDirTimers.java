package io.github.hotdeploy.launcher.cli;

import io.github.hotdeploy.launcher.spawning.EnvDir;
import io.github.hotdeploy.launcher.supervision.LiveTimers;
import io.github.hotdeploy.launcher.supervision.SupervisorSettings;
import java.time.Duration;

/**
 * {@link LiveTimers} that look in the envdir first, as the original's loop does: its
 * KILL_OLD_DELAY and AUTO_RESTART_INTERVAL files stand in for the options, read with the same
 * parser; a missing or unusable value leaves the one given at start.
 */
public final class EnvDirTimers implements LiveTimers {
    private final String envDir;
    private final SupervisorSettings settings;

    public EnvDirTimers(String envDir, SupervisorSettings settings) {
        this.envDir = envDir;
        this.settings = settings;
    }

    @Override
    public Duration killOldDelay() {
        return Seconds.tryParse(EnvDir.load(envDir).get("KILL_OLD_DELAY"), true).orElse(settings.killOldDelay());
    }

    @Override
    public Duration autoRestartInterval() {
        return Seconds.tryParse(EnvDir.load(envDir).get("AUTO_RESTART_INTERVAL"), false)
                .orElse(settings.autoRestartInterval());
    }
}
