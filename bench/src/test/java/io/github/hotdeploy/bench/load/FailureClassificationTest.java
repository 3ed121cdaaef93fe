package io.github.hotdeploy.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

/** The JDK's exception messages on Linux, mapped to outcome kinds. */
class FailureClassificationTest {

    @Test
    void connectFailures() {
        assertThat(RawHttpConnection.connectFailure(new ConnectException("Connection refused")).outcome())
                .isEqualTo(Outcome.CONNECT_REFUSED);
        assertThat(RawHttpConnection.connectFailure(new SocketTimeoutException("Connect timed out")).outcome())
                .isEqualTo(Outcome.CONNECT_TIMEOUT);
        assertThat(RawHttpConnection.connectFailure(new NoRouteToHostException("No route to host")).outcome())
                .isEqualTo(Outcome.CONNECT_ERROR);
    }

    @Test
    void failuresOnAnOpenConnection() {
        assertThat(RawHttpConnection.ioFailure("receive", new SocketException("Connection reset")).outcome())
                .isEqualTo(Outcome.RESET);
        assertThat(RawHttpConnection.ioFailure("send", new SocketException("Connection reset by peer")).outcome())
                .isEqualTo(Outcome.RESET);
        assertThat(RawHttpConnection.ioFailure("send", new SocketException("Broken pipe")).outcome())
                .isEqualTo(Outcome.BROKEN_PIPE);
        assertThat(RawHttpConnection.ioFailure("receive", new SocketTimeoutException("Read timed out")).outcome())
                .isEqualTo(Outcome.TIMEOUT);
        RequestFailure other = RawHttpConnection.ioFailure("receive", new IOException("Bad file descriptor"));
        assertThat(other.outcome()).isEqualTo(Outcome.OTHER_IO);
        assertThat(other.getMessage()).contains("receive").contains("Bad file descriptor");
        assertThat(other.isIdleClose()).isFalse();
    }
}
