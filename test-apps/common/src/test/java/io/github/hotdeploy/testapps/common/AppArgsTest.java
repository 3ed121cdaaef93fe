package io.github.hotdeploy.testapps.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AppArgsTest {

    @Test
    void acceptsBothOptionForms() {
        AppArgs args = AppArgs.parse("x", new String[] {"--port", "8080", "--host=127.0.0.2", "--path=/tmp/a.sock"});
        assertThat(args.port()).isEqualTo(8080);
        assertThat(args.host()).isEqualTo("127.0.0.2");
        assertThat(args.path()).isEqualTo(Path.of("/tmp/a.sock"));
    }

    @Test
    void hostDefaultsToLoopback() {
        assertThat(AppArgs.parse("x", new String[] {"--port", "1"}).host()).isEqualTo("127.0.0.1");
    }

    @Test
    void choiceDefaultsToTheFirstAllowedValueAndRejectsOthers() {
        assertThat(AppArgs.parse("x", new String[0]).choice("protocol", "nio", "nio2")).isEqualTo("nio");
        assertThat(AppArgs.parse("x", new String[] {"--protocol", "nio2"}).choice("protocol", "nio", "nio2")).isEqualTo("nio2");
        assertThatThrownBy(() -> AppArgs.parse("x", new String[] {"--protocol", "apr"}).choice("protocol", "nio", "nio2"))
                .hasMessageContaining("nio, nio2").hasMessageContaining("'apr'");
    }

    @Test
    void rejectsMissingOrBadPortsWithTheAppsName() {
        assertThatThrownBy(() -> AppArgs.parse("jetty", new String[0]).port()).hasMessageStartingWith("jetty: --port N is required");
        assertThatThrownBy(() -> AppArgs.parse("x", new String[] {"--port", "70000"}).port()).hasMessageContaining("1-65535");
        assertThatThrownBy(() -> AppArgs.parse("x", new String[] {"--port", "http"}).port()).hasMessageContaining("'http'");
        assertThatThrownBy(() -> AppArgs.parse("x", new String[] {"--port"})).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> AppArgs.parse("x", new String[] {"8080"})).hasMessageContaining("unexpected argument");
    }
}
