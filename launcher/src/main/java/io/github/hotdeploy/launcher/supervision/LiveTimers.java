package io.github.hotdeploy.launcher.supervision;

import java.time.Duration;

/**
 * The two timers the original reads from its environment each time round its loop, after
 * re-reading the envdir: a KILL_OLD_DELAY or AUTO_RESTART_INTERVAL file in the envdir changes
 * them while start_server runs (and wins over the option, as it does in the original).
 */
public interface LiveTimers {

    Duration killOldDelay();

    /** Only asked when auto-restart is on. */
    Duration autoRestartInterval();

    /** Fixed values, for when there is no envdir. */
    static LiveTimers fixed(SupervisorSettings settings) {
        return new LiveTimers() {
            @Override
            public Duration killOldDelay() {
                return settings.killOldDelay();
            }

            @Override
            public Duration autoRestartInterval() {
                return settings.autoRestartInterval();
            }
        };
    }
}
