package io.github.hotdeploy.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoOptionsTest {

    @Test
    void defaultsAreLoopbackAnd8080() {
        DemoOptions options = DemoOptions.parse(new String[0], Map.of());

        assertThat(options.host()).isEqualTo("127.0.0.1");
        assertThat(options.port()).isEqualTo(8080);
    }

    @Test
    void portComesFromTheEnvironmentUnlessGivenAsOption() {
        assertThat(DemoOptions.parse(new String[0], Map.of("PORT", "9000")).port()).isEqualTo(9000);
        assertThat(DemoOptions.parse(new String[] {"--port=9001"}, Map.of("PORT", "9000")).port()).isEqualTo(9001);
        assertThat(DemoOptions.parse(new String[] {"--port", "9002", "--host", "0.0.0.0"}, Map.of()))
                .isEqualTo(new DemoOptions("0.0.0.0", 9002, 32, 1));
    }

    @Test
    void rejectsBadValuesWithTheOptionName() {
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--port=http"}, Map.of()))
                .hasMessageContaining("--port");
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--port=70000"}, Map.of()))
                .hasMessageContaining("70000");
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--verbose"}, Map.of()))
                .hasMessageContaining("unknown argument: --verbose");
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--host"}, Map.of()))
                .hasMessageContaining("--host needs a value");
    }
}
