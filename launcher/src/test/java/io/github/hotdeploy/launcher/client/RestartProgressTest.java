package io.github.hotdeploy.launcher.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotdeploy.launcher.client.RestartProgress.Kind;
import io.github.hotdeploy.launcher.supervision.Snapshot;
import io.github.hotdeploy.launcher.supervision.Snapshot.Generation;
import io.github.hotdeploy.launcher.supervision.Snapshot.Role;
import io.github.hotdeploy.launcher.supervision.Supervisor.Phase;
import java.util.List;
import org.junit.jupiter.api.Test;

/** --restart's judgement of start_server's state after its HUP; generation 3 served before it. */
class RestartProgressTest {
    private static final int BASELINE = 3;

    private static Generation gen(int number, Role role) {
        return new Generation(number, 1000 + number, role, 0, Snapshot.Readiness.NOT_AWAITED, 0,
                Snapshot.ClassCacheUse.NONE);
    }

    private static Snapshot.Restart restart(Snapshot.Outcome outcome, int failed) {
        return new Snapshot.Restart(1, Snapshot.Trigger.HUP, 0, outcome, failed, 4, 0);
    }

    private static Snapshot state(Phase phase, List<Generation> generations, Snapshot.Restart restart,
                                  Snapshot.Failure failure, boolean queued) {
        return new Snapshot(phase, 4, true, generations, restart, failure, 0, queued);
    }

    @Test
    void waitsWhileTheNewGenerationStartsAndWhileTheOldOneDrains() {
        assertThat(RestartProgress.judge(BASELINE, state(Phase.STARTING, List.of(gen(3, Role.SERVING),
                gen(4, Role.STARTING)), restart(Snapshot.Outcome.IN_PROGRESS, 0), null, false)))
                .isEqualTo(new RestartProgress.Verdict(Kind.WAITING, "generation 4 starting, 3 serving"));
        assertThat(RestartProgress.judge(BASELINE, state(Phase.RUNNING, List.of(gen(3, Role.DRAINING),
                gen(4, Role.SERVING)), restart(Snapshot.Outcome.SUCCEEDED, 0), null, false)).kind())
                .isEqualTo(Kind.WAITING);
    }

    @Test
    void succeedsWhenANewerGenerationServesAlone() {
        assertThat(RestartProgress.judge(BASELINE, state(Phase.RUNNING, List.of(gen(4, Role.SERVING)),
                restart(Snapshot.Outcome.SUCCEEDED, 0), null, false)))
                .isEqualTo(new RestartProgress.Verdict(Kind.SUCCEEDED, ""));
    }

    @Test
    void anOldGenerationThatOnlyWritesItsClassCacheIsNotWaitedFor() {
        assertThat(RestartProgress.judge(BASELINE, state(Phase.RUNNING, List.of(gen(3, Role.EXITING),
                gen(4, Role.SERVING)), restart(Snapshot.Outcome.SUCCEEDED, 0), null, false)))
                .isEqualTo(new RestartProgress.Verdict(Kind.SUCCEEDED, ""));
        assertThat(RestartProgress.judge(BASELINE, state(Phase.RUNNING, List.of(gen(2, Role.EXITING),
                gen(3, Role.DRAINING), gen(4, Role.SERVING)), restart(Snapshot.Outcome.SUCCEEDED, 0), null, false))
                .kind()).as("one still draining").isEqualTo(Kind.WAITING);
    }

    @Test
    void aQueuedRestartIsWaitedForToo() {
        assertThat(RestartProgress.judge(BASELINE, state(Phase.RUNNING, List.of(gen(4, Role.SERVING)),
                restart(Snapshot.Outcome.SUCCEEDED, 0), null, true)).kind()).isEqualTo(Kind.WAITING);
    }

    @Test
    void failsAtTheFirstNewGenerationThatFailsWithTheReason() {
        Snapshot.Failure died = new Snapshot.Failure(4, 1004, Snapshot.FailureKind.DIED_STARTING, "exited with status 1", 0);
        assertThat(RestartProgress.judge(BASELINE, state(Phase.BACKOFF, List.of(gen(3, Role.SERVING)),
                restart(Snapshot.Outcome.FAILED, 1), died, false)))
                .isEqualTo(new RestartProgress.Verdict(Kind.FAILED, "restart failed: generation 4 (pid 1004) exited "
                        + "with status 1 before it counted as started; generation 3 (pid 1003) keeps serving; "
                        + "start_server keeps trying"));
        Snapshot.Failure slow = new Snapshot.Failure(4, 1004, Snapshot.FailureKind.NOT_READY,
                "did not report ready within 60 secs", 0);
        assertThat(RestartProgress.judge(BASELINE, state(Phase.STARTING, List.of(gen(3, Role.SERVING),
                gen(4, Role.ABANDONED)), restart(Snapshot.Outcome.FAILED, 1), slow, false)).message())
                .startsWith("restart failed: generation 4 (pid 1004) did not report ready within 60 secs;");
    }

    @Test
    void aNewGenerationThatDiesAfterTakingOverFailsTheRestartToo() {
        Snapshot.Failure died = new Snapshot.Failure(4, 1004, Snapshot.FailureKind.DIED_SERVING,
                "was killed by signal 11 (SEGV)", 0);
        RestartProgress.Verdict verdict = RestartProgress.judge(BASELINE, state(Phase.STARTING,
                List.of(gen(3, Role.DRAINING), gen(5, Role.STARTING)), restart(Snapshot.Outcome.SUCCEEDED, 0), died, false));
        assertThat(verdict.kind()).isEqualTo(Kind.FAILED);
        assertThat(verdict.message()).contains("while serving; no generation is serving");
    }

    @Test
    void aFailureOfAnEarlierGenerationIsNotThisRestarts() {
        Snapshot.Failure old = new Snapshot.Failure(2, 1002, Snapshot.FailureKind.DIED_STARTING, "exited with status 1", 0);
        assertThat(RestartProgress.judge(BASELINE, state(Phase.STARTING, List.of(gen(3, Role.SERVING),
                gen(4, Role.STARTING)), restart(Snapshot.Outcome.IN_PROGRESS, 0), old, false)).kind())
                .isEqualTo(Kind.WAITING);
    }

    @Test
    void aRestartAlreadyCompleteWhenLookedAtSucceedsWithAWarningAboutItsFailedAttempts() {
        Snapshot.Failure died = new Snapshot.Failure(4, 1004, Snapshot.FailureKind.DIED_STARTING, "exited with status 1", 0);
        RestartProgress.Verdict verdict = RestartProgress.judge(BASELINE, state(Phase.RUNNING,
                List.of(gen(5, Role.SERVING)), restart(Snapshot.Outcome.SUCCEEDED, 1), died, false));
        assertThat(verdict).isEqualTo(new RestartProgress.Verdict(Kind.SUCCEEDED, "generation 5 (pid 1005) took over "
                + "after a failed attempt (the last: generation 4 (pid 1004) exited with status 1 before it counted "
                + "as started)"));
    }

    @Test
    void aStopEndsTheWait() {
        assertThat(RestartProgress.judge(BASELINE, state(Phase.STOPPING, List.of(gen(3, Role.DRAINING)), null, null,
                false))).isEqualTo(new RestartProgress.Verdict(Kind.FAILED, "restart failed: start_server is stopping"));
    }
}
