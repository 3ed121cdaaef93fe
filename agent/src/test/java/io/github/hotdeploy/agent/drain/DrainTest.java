package io.github.hotdeploy.agent.drain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DrainTest {

    @Test
    void readsUtimePlusStimeOfAStatLineWhoseNameHasSpacesAndParens() {
        String stat = "4242 (SIGTERM (x) h) S 4200 4200 4200 0 -1 1077936192 91 0 0 0 7 5 0 0 20 0 1 0 3135"
                + " 0 0 18446744073709551615 0 0 0 0 0 0 0 2 0 0 0 0 -1 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
        assertThat(Drain.cpuMsOfStat(stat)).isEqualTo(120L);
    }

    @Test
    void readsThisThreadsCpu() {
        assertThat(Drain.threadCpuMs()).isGreaterThanOrEqualTo(0L);
    }
}
