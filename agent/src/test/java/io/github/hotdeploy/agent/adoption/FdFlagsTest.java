package io.github.hotdeploy.agent.adoption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class FdFlagsTest {

    @Test
    void readsONonblockFromTheOctalFlagsLine() throws IOException {
        assertThat(FdFlags.isNonBlocking("flags:\t02004002")).isTrue();
        assertThat(FdFlags.isNonBlocking("flags:\t02000002")).isFalse();
    }

    @Test
    void anUnreadableLineIsAnErrorNotAGuess() {
        assertThatThrownBy(() -> FdFlags.isNonBlocking("flags:\tzz")).isInstanceOf(IOException.class);
    }

    @Test
    void readsTheRealFlagsOfAnOpenFd() throws IOException {
        assertThat(FdFlags.isNonBlocking(0)).isFalse(); // surefire's stdin: a blocking pipe
    }
}
