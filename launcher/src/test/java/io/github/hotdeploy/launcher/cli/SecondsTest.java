package io.github.hotdeploy.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SecondsTest {

    @Test
    void wholeAndFractionalSecondsWithBlanks() throws Exception {
        assertThat(Seconds.parse("--interval", " 2 ", true)).isEqualTo(Duration.ofSeconds(2));
        assertThat(Seconds.parse("--interval", "0.25", true)).isEqualTo(Duration.ofMillis(250));
        assertThat(Seconds.parse("--interval", "0", true)).isZero();
    }

    @Test
    void zeroOnlyWhereAllowedAndNeverNegativeOrText() {
        assertThat(Seconds.tryParse("0", false)).isEmpty();
        assertThat(Seconds.tryParse("-1", true)).isEmpty();
        assertThat(Seconds.tryParse("soon", true)).isEmpty();
        assertThat(Seconds.tryParse(null, true)).isEmpty();
        assertThat(Seconds.tryParse("1e400", true)).as("beyond a Duration").isEmpty();
        assertThatThrownBy(() -> Seconds.parse("--client-timeout", "0", false))
                .hasMessage("invalid value for --client-timeout: '0' (expected a positive number of seconds)");
    }
}
