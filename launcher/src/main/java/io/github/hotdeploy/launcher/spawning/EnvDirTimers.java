package io.github.hotdeploy.launcher.spawning;

import io.github.hotdeploy.launcher.supervision.LiveTimers;
import io.github.hotdeploy.launcher.supervision.SupervisorSettings;
import java.math.BigDecimal;
import java.time.Duration;

/** {@link LiveTimers} that look in the envdir first, as the original's loop does. */
public final class EnvDirTimers implements LiveTimers {
    private final String envDir;
    private final SupervisorSettings settings;

    public EnvDirTimers(String envDir, SupervisorSettings settings) {
        this.envDir = envDir;
        this.settings = settings;
    }

    @Override
    public Duration killOldDelay() {
        Duration d = seconds(EnvDir.load(envDir).get("KILL_OLD_DELAY"), true);
        return d != null ? d : settings.killOldDelay();
    }

    @Override
    public Duration autoRestartInterval() {
        Duration d = seconds(EnvDir.load(envDir).get("AUTO_RESTART_INTERVAL"), false);
        return d != null ? d : settings.autoRestartInterval();
    }

    /** Null for a missing or unusable value: the value given at start stands. */
    private static Duration seconds(String value, boolean zeroAllowed) {
        if (value == null) {
            return null;
        }
        try {
            BigDecimal secs = new BigDecimal(value.trim());
            if (secs.signum() < 0 || (!zeroAllowed && secs.signum() == 0)) {
                return null;
            }
            return Duration.ofNanos(secs.movePointRight(9).longValueExact());
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }
}
