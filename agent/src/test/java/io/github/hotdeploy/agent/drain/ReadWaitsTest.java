package io.github.hotdeploy.agent.drain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ReadWaitsTest {

    // /proc/self/fdinfo of an epoll fd (Linux 6.x): fd 12 waits for input, 13 for input and
    // output (a response on its way out), 14 for output only, 15 for input with EPOLLRDHUP etc.
    private static final String FDINFO = "pos:\t0\nflags:\t02000002\nmnt_id:\t15\nino:\t1057\n"
            + "tfd:       12 events:       19 data:                c  pos:0 ino:6b3e sdev:8\n"
            + "tfd:       13 events:       1d data:                d  pos:0 ino:6b3f sdev:8\n"
            + "tfd:       14 events:        4 data:                e  pos:0 ino:6b40 sdev:8\n"
            + "tfd:     1015 events:     2019 data:              3f7  pos:0 ino:6b41 sdev:8\n"
            + "tfd: garbage\n"
            + "tfd:       16 events:       1";

    @Test
    void readsTheFdsWatchedForInputAndNotForOutput() {
        byte[] bytes = FDINFO.getBytes(StandardCharsets.US_ASCII);
        ReadWaits.Readers readers = new ReadWaits.Readers();
        ReadWaits.readers(bytes, bytes.length, readers);
        assertThat(Arrays.copyOf(readers.fds, readers.count)).containsExactly(12, 1015, 16);
    }

    @Test
    void readsOnlyTheGivenLength() {
        byte[] bytes = FDINFO.getBytes(StandardCharsets.US_ASCII);
        ReadWaits.Readers readers = new ReadWaits.Readers();
        ReadWaits.readers(bytes, FDINFO.indexOf("tfd:       13"), readers);
        assertThat(Arrays.copyOf(readers.fds, readers.count)).containsExactly(12);
    }
}
