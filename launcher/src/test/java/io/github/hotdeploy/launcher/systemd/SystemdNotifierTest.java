package io.github.hotdeploy.launcher.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SystemdNotifierTest {

    @Test
    void theWatchdogIsPingedAtHalfItsTimeoutAndOnlyWhenItIsOurs() {
        assertThat(SystemdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "10000000"), 42)).isEqualTo(Duration.ofSeconds(5));
        assertThat(SystemdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "10000000", "WATCHDOG_PID", "42"), 42))
                .isEqualTo(Duration.ofSeconds(5));
        assertThat(SystemdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "10000000", "WATCHDOG_PID", "41"), 42)).isNull();
        assertThat(SystemdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "0"), 42)).isNull();
        assertThat(SystemdNotifier.watchdogInterval(Map.of(), 42)).isNull();
    }
}
