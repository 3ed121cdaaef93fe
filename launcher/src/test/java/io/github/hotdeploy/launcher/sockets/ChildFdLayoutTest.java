package io.github.hotdeploy.launcher.sockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChildFdLayoutTest {

    private static List<ListenSpec> specs(String... ports) {
        return java.util.Arrays.stream(ports).<ListenSpec>map(PortSpecParser::parse).toList();
    }

    @Test
    void socketsTakeTheLowestFreeNumbersFromThree() {
        assertThat(ChildFdLayout.assign(specs("80", "81", "82"), false)).containsExactly(3, 4, 5);
    }

    @Test
    void anOpenLogFileHoldsFdThreeWhileTheOriginalBinds() {
        assertThat(ChildFdLayout.assign(specs("80", "81"), true)).containsExactly(4, 5);
    }

    @Test
    void aPlacedSocketFreesItsFirstNumberForTheNextOne() {
        assertThat(ChildFdLayout.assign(specs("80=5", "81", "82", "83"), false)).containsExactly(5, 3, 4, 6);
        assertThat(ChildFdLayout.assign(specs("80=0", "81"), false)).containsExactly(0, 3);
    }

    @Test
    void paths() {
        List<ListenSpec> specs = List.of(PortSpecParser.parse("80"), new UnixListenSpec("/tmp/a.sock"));
        assertThat(ChildFdLayout.assign(specs, false)).containsExactly(3, 4);
    }

    @Test
    void twoSocketsCannotShareAnFd() {
        assertThatThrownBy(() -> ChildFdLayout.assign(specs("80", "81=3"), false))
                .hasMessageContaining("fd 3 is already taken");
    }
}
