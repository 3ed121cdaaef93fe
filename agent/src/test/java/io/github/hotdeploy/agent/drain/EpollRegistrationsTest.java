package io.github.hotdeploy.agent.drain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EpollRegistrationsTest {

    // /proc/self/fdinfo of an epoll fd: Netty's (level-triggered listener, edge-triggered eventfd)
    // and EPollPort's (one-shot) shapes, as seen on Linux 6.18.
    private static final List<String> FDINFO = List.of(
            "pos:\t0",
            "flags:\t02000002",
            "mnt_id:\t15",
            "ino:\t1039",
            "tfd:       13 events: 80000019 data:                d  pos:0 ino:40f sdev:10",
            "tfd:       23 events:       19 data:               17  pos:0 ino:2fdf4b sdev:9",
            "tfd:       15 events: 40000001 data:                f  pos:0 ino:304c17 sdev:9");

    @Test
    void findsTheRegistrationOfTheSameSocket() {
        EpollRegistrations.Registration r = EpollRegistrations.parse(8, FDINFO, 23, 0x2fdf4bL);
        assertThat(r).isNotNull();
        assertThat(r.epfd).isEqualTo(8);
        assertThat(r.events).isEqualTo(0x19);
        assertThat(r.armedForInput()).isTrue();
        assertThat(r.oneShot()).isFalse();
    }

    @Test
    void aRegistrationLeftByAnotherFileUnderThatNumberIsNotOurs() {
        assertThat(EpollRegistrations.parse(8, FDINFO, 23, 0x2fdf4cL)).isNull();
        assertThat(EpollRegistrations.parse(8, FDINFO, 24, 0x2fdf4bL)).isNull();
    }

    @Test
    void readsOneShotAndEdgeTriggeredMasks() {
        assertThat(EpollRegistrations.parse(8, FDINFO, 15, 0x304c17L).oneShot()).isTrue();
        EpollRegistrations.Registration edge = EpollRegistrations.parse(8, FDINFO, 13, 0x40fL);
        assertThat(edge.events).isEqualTo(0x80000019);
        assertThat(edge.armedForInput()).isTrue();
    }
}
