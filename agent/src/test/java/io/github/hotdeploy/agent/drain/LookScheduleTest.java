package io.github.hotdeploy.agent.drain;

import static io.github.hotdeploy.agent.drain.LookSchedule.DONE;
import static io.github.hotdeploy.agent.drain.LookSchedule.LOOK_AGAIN;
import static io.github.hotdeploy.agent.drain.LookSchedule.MAX_POLL_MS;
import static io.github.hotdeploy.agent.drain.LookSchedule.MIN_POLL_MS;
import static io.github.hotdeploy.agent.drain.LookSchedule.RESCAN_FIRST;
import static io.github.hotdeploy.agent.drain.LookSchedule.TIMED_OUT;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The drain's look loop timing, driven by scripted looks (times in ns unless named ms). */
class LookScheduleTest {

    private static final long MS = 1_000_000L;
    private static final long NOW = 7_000 * MS;

    @Test
    void backsOffByDoublingWhileNothingChangesUpToHalfASecond() {
        List<Long> pauses = new ArrayList<>();
        long poll = MIN_POLL_MS;
        for (int look = 0; look < 7; look++) {
            poll = LookSchedule.nextPollMs(poll, false, false, 1000);
            pauses.add(poll);
        }
        assertThat(pauses).containsExactly(40L, 80L, 160L, 320L, 500L, 500L, 500L);
        assertThat(MAX_POLL_MS).isEqualTo(500L);
    }

    @Test
    void aChangeBringsTheNextLookBackToTwentyMilliseconds() {
        assertThat(LookSchedule.nextPollMs(MAX_POLL_MS, true, false, 1000)).isEqualTo(20L);
        assertThat(LookSchedule.nextPollMs(MAX_POLL_MS, true, true, 1000)).isEqualTo(20L);
    }

    @Test
    void whileAGraceRunsLooksComeAtMostAQuarterOfItApart() {
        assertThat(LookSchedule.nextPollMs(160, false, true, 1000)).isEqualTo(250L);
        assertThat(LookSchedule.nextPollMs(MAX_POLL_MS, false, true, 1000))
                .as("a grace that starts while backed off pulls the pause in").isEqualTo(250L);
        assertThat(LookSchedule.nextPollMs(40, false, true, 1000)).isEqualTo(80L);
        assertThat(LookSchedule.nextPollMs(40, false, true, 60_000)).as("never beyond the usual ceiling")
                .isEqualTo(80L);
        assertThat(LookSchedule.nextPollMs(320, false, true, 60_000)).isEqualTo(MAX_POLL_MS);
        assertThat(LookSchedule.nextPollMs(MIN_POLL_MS, false, true, 0)).as("a zero grace: no busy loop")
                .isEqualTo(MIN_POLL_MS);
    }

    @Test
    void aPauseNeverRunsPastTheDeadlineNorSpins() {
        assertThat(LookSchedule.sleepMs(500, NOW, NOW + 2_000 * MS)).isEqualTo(500L);
        assertThat(LookSchedule.sleepMs(500, NOW, NOW + 120 * MS)).isEqualTo(120L);
        assertThat(LookSchedule.sleepMs(500, NOW, NOW + MS / 2)).isEqualTo(1L);
        assertThat(LookSchedule.sleepMs(500, NOW, NOW - 5 * MS)).isEqualTo(1L);
    }

    @Test
    void nothingLeftEndsTheDrainOnlyRightAfterAFreshListingOfTheFds() {
        assertThat(LookSchedule.afterLook(0, true, NOW, NOW + MS)).isEqualTo(DONE);
        assertThat(LookSchedule.afterLook(0, false, NOW, NOW + MS)).isEqualTo(RESCAN_FIRST);
        assertThat(LookSchedule.afterLook(0, true, NOW, NOW - MS)).as("past the deadline, yet nothing left")
                .isEqualTo(DONE);
    }

    @Test
    void somethingLeftIsWaitedForUntilTheDeadline() {
        assertThat(LookSchedule.afterLook(3, true, NOW, NOW + 1)).isEqualTo(LOOK_AGAIN);
        assertThat(LookSchedule.afterLook(3, false, NOW, NOW)).isEqualTo(TIMED_OUT);
        assertThat(LookSchedule.afterLook(1, true, NOW + 1, NOW)).isEqualTo(TIMED_OUT);
    }

    @Test
    void somethingIsDueOnceItsIntervalHasPassed() {
        long second = 1_000 * MS;
        assertThat(LookSchedule.due(NOW, NOW - second + 1, second)).isFalse();
        assertThat(LookSchedule.due(NOW, NOW - second, second)).isTrue();
        assertThat(LookSchedule.due(Long.MIN_VALUE + 5, Long.MAX_VALUE - 5, 100))
                .as("across System.nanoTime's wrap-around").isFalse();
        assertThat(LookSchedule.due(Long.MIN_VALUE + 100, Long.MAX_VALUE - 100, 100)).isTrue();
    }

    @Test
    void theFingerprintChangesWithAnyConnectionsVerdictOrAppView() {
        long base = LookSchedule.fingerprint(2, 4711, ConnectionVerdict.WAIT, true);
        assertThat(LookSchedule.fingerprint(2, 4711, ConnectionVerdict.WAIT, true)).isEqualTo(base);
        assertThat(LookSchedule.fingerprint(2, 4711, ConnectionVerdict.WAIT, false)).isNotEqualTo(base);
        assertThat(LookSchedule.fingerprint(2, 4711, ConnectionVerdict.CLOSE_IDLE, true)).isNotEqualTo(base);
        assertThat(LookSchedule.fingerprint(2, 4712, ConnectionVerdict.WAIT, true)).as("another socket")
                .isNotEqualTo(base);
        assertThat(LookSchedule.fingerprint(3, 4711, ConnectionVerdict.WAIT, true)).as("another count")
                .isNotEqualTo(base);
    }
}
