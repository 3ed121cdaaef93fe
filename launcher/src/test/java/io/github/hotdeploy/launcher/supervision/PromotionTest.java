package io.github.hotdeploy.launcher.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PromotionTest {
    private static final long SPAWNED = 5_000_000_000L;
    private static final Duration ONE = Duration.ofSeconds(1);

    @Test
    void aGenerationWhoseReadinessIsNotAwaitedStartsAfterTheIntervalWhateverItSays() {
        assertThat(Promotion.dueAt(SPAWNED, false, Promotion.NEVER, ONE, Duration.ZERO)).isEqualTo(SPAWNED + 1_000_000_000L);
        assertThat(Promotion.dueAt(SPAWNED, false, SPAWNED + 1, ONE, Duration.ZERO)).isEqualTo(SPAWNED + 1_000_000_000L);
    }

    @Test
    void anAwaitedGenerationStartsAtItsReadyWithNoFloorByDefault() {
        assertThat(Promotion.dueAt(SPAWNED, true, Promotion.NEVER, ONE, Duration.ZERO)).isEqualTo(Promotion.NEVER);
        assertThat(Promotion.dueAt(SPAWNED, true, SPAWNED + 300_000_000L, ONE, Duration.ZERO))
                .isEqualTo(SPAWNED + 300_000_000L);
    }

    @Test
    void anAwaitedGenerationStartsAtTheLaterOfItsReadyAndAGivenInterval() {
        Duration given = Duration.ofSeconds(2);
        assertThat(Promotion.dueAt(SPAWNED, true, SPAWNED + 300_000_000L, given, given)).isEqualTo(SPAWNED + 2_000_000_000L);
        assertThat(Promotion.dueAt(SPAWNED, true, SPAWNED + 7_000_000_000L, given, given)).isEqualTo(SPAWNED + 7_000_000_000L);
    }

    @Test
    void aHugeIntervalDoesNotOverflowIntoThePast() {
        Duration huge = Duration.ofNanos(Long.MAX_VALUE);
        assertThat(Promotion.dueAt(SPAWNED, false, Promotion.NEVER, huge, huge)).isGreaterThan(SPAWNED);
        assertThat(Promotion.dueAt(SPAWNED, true, SPAWNED, huge, huge)).isGreaterThan(SPAWNED).isNotEqualTo(Promotion.NEVER);
    }
}
