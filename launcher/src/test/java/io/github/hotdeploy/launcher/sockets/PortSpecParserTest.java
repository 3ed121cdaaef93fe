package io.github.hotdeploy.launcher.sockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PortSpecParserTest {

    @ParameterizedTest(name = "{0} -> key {1}")
    @CsvSource(delimiter = '|', value = {
        // spec               | key             | host       | v6    | port | udp   | fd
        "8080                 | 8080            |            | false | 8080 | false | -1",
        "' 8080 '             | 8080            |            | false | 8080 | false | -1",
        "8080=0               | 8080            |            | false | 8080 | false | 0",
        "8080=5               | 8080            |            | false | 8080 | false | 5",
        "u53                  | 53              |            | false | 53   | true  | -1",
        "localhost:8080       | localhost:8080  | localhost  | false | 8080 | false | -1",
        "127.0.0.1:u53=7      | 127.0.0.1:53    | 127.0.0.1  | false | 53   | true  | 7",
        "[::1]:8080           | [::1]:8080      | ::1        | true  | 8080 | false | -1",
        "[127.0.0.1]:8080     | 127.0.0.1:8080  | 127.0.0.1  | false | 8080 | false | -1",
        "08080                | 08080           |            | false | 8080 | false | -1",
    })
    void parsesEveryFormWithTheOriginalsKeys(String spec, String key, String host, boolean v6, int port,
                                             boolean udp, int fd) {
        InetListenSpec parsed = PortSpecParser.parse(spec);
        assertThat(parsed).isEqualTo(new InetListenSpec(key, host, v6, port, udp, fd));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "", "0", "70000", "65536", "host:", ":80", "8080=1", "8080=2", "8080=x"})
    void rejectsWhatTheOriginalWouldWrapOrMisread(String spec) {
        assertThatThrownBy(() -> PortSpecParser.parse(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid port value: '" + spec + "'");
    }
}
