package io.github.hotdeploy.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PacerTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void withoutARateOnlyTheEndStopsIt() {
        Pacer pacer = Pacer.forWorker(0, 4, 0, System.nanoTime());

        assertThat(pacer.awaitTurn(System.nanoTime() + SECOND)).isTrue();
        assertThat(pacer.awaitTurn(System.nanoTime() - 1)).isFalse();
    }

    @Test
    void aTurnAtOrAfterTheEndIsNotTaken() {
        long now = System.nanoTime();
        // 4 workers sharing 2 requests a second: each gets one turn every 2 s, worker 3 first at +1.5 s.
        Pacer pacer = Pacer.forWorker(2, 4, 3, now);

        assertThat(pacer.awaitTurn(now + SECOND)).isFalse();
    }

    @Test
    void spacesTurnsByItsShareOfTheRate() {
        long start = System.nanoTime();
        // 100 requests a second for one worker: turns at +0, +10, +20 ms.
        Pacer pacer = Pacer.forWorker(100, 1, 0, start);

        for (int i = 0; i < 3; i++) {
            assertThat(pacer.awaitTurn(start + SECOND)).isTrue();
        }
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(20));
    }
}
