package io.github.hotdeploy.launcher.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ListenFdsTest {

    @Test
    void socketsPassedToThisProcessFromFdThreeWithTheirNames() throws Exception {
        assertThat(ListenFds.parse(Map.of("LISTEN_PID", "42", "LISTEN_FDS", "2", "LISTEN_FDNAMES", "web:admin"), 42))
                .containsExactly(new ListenFds.Passed(3, "web"), new ListenFds.Passed(4, "admin"));
        assertThat(ListenFds.parse(Map.of("LISTEN_PID", "42", "LISTEN_FDS", "2"), 42))
                .as("names are optional").containsExactly(new ListenFds.Passed(3, ""), new ListenFds.Passed(4, ""));
    }

    @Test
    void variablesMeantForAnotherProcessOrIncompletePassNothing() throws Exception {
        assertThat(ListenFds.parse(Map.of("LISTEN_PID", "41", "LISTEN_FDS", "2"), 42)).isEmpty();
        assertThat(ListenFds.parse(Map.of("LISTEN_FDS", "2"), 42)).isEmpty();
        assertThat(ListenFds.parse(Map.of(), 42)).isEmpty();
    }

    @Test
    void nonsenseIsAOneLineError() {
        assertThatThrownBy(() -> ListenFds.parse(Map.of("LISTEN_PID", "42", "LISTEN_FDS", "two"), 42))
                .hasMessage("LISTEN_FDS is not a number of sockets: 'two'");
        assertThatThrownBy(() -> ListenFds.parse(Map.of("LISTEN_PID", "x", "LISTEN_FDS", "1"), 42))
                .hasMessage("LISTEN_PID is not a pid: 'x'");
        assertThatThrownBy(() -> ListenFds.parse(Map.of("LISTEN_PID", "42", "LISTEN_FDS", "1", "LISTEN_FDNAMES", "a:b"), 42))
                .hasMessage("LISTEN_FDNAMES names 2 sockets but LISTEN_FDS passes 1");
    }
}
