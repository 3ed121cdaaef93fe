package io.github.hotdeploy.launcher.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotdeploy.launcher.files.StateFile;
import io.github.hotdeploy.launcher.supervision.Snapshot;
import io.github.hotdeploy.launcher.supervision.Supervisor;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusReportTest {
    /** Written at 2023-11-14T22:13:30Z, CLOCK_MONOTONIC 10 s. */
    private static final long WALL = 1_700_000_010_000L;

    private static StateFile.State state(Snapshot s) {
        return new StateFile.State(4321, WALL, 10_000_000_000L, s);
    }

    private static Snapshot restarting() {
        return new Snapshot(Supervisor.Phase.STARTING, 5, true, List.of(
                new Snapshot.Generation(3, 1240, Snapshot.Role.SERVING, 5_000_000_000L, Snapshot.Readiness.REPORTED,
                        4_900_000_000L, Snapshot.ClassCacheUse.CACHED),
                new Snapshot.Generation(5, 1251, Snapshot.Role.STARTING, 9_000_000_000L, Snapshot.Readiness.AWAITED, 0,
                        Snapshot.ClassCacheUse.NONE)),
                new Snapshot.Restart(2, Snapshot.Trigger.HUP, 8_000_000_000L, Snapshot.Outcome.FAILED, 1, 5,
                        8_500_000_000L),
                new Snapshot.Failure(4, 1250, Snapshot.FailureKind.DIED_STARTING, "exited with status 1", 8_500_000_000L),
                0, false);
    }

    @Test
    void forAPersonEveryGenerationWithItsStateSinceWhenReadinessAndClassCacheThenTheLastRestartAndFailure() {
        assertThat(StatusReport.text(state(restarting()), WALL + 2_000)).isEqualTo("""
                start_server (pid 4321) serving: restart failed: generation 4 (pid 1250) exited with status 1 before it counted as started; generation 5 starting, 3 serving
                  generation 3    pid 1240     serving   since 2023-11-14T22:13:25Z (7 s ago), READY=1 2023-11-14T22:13:24Z (7 s ago), booted from the class cache
                  generation 5    pid 1251     starting  since 2023-11-14T22:13:29Z (3 s ago), waiting for READY=1
                last restart: #2 (HUP) requested 2023-11-14T22:13:28Z (4 s ago): failed 2023-11-14T22:13:28Z (3 s ago) (generation 5)
                last failure: generation 4 (pid 1250) exited with status 1 before it counted as started, 2023-11-14T22:13:28Z (3 s ago)
                """);
    }

    @Test
    void aBackOffShowsWhenTheNextAttemptComes() {
        Snapshot s = new Snapshot(Supervisor.Phase.BACKOFF, 1, false, List.of(), null,
                new Snapshot.Failure(1, 10, Snapshot.FailureKind.DIED_STARTING, "exited with status 3", 9_000_000_000L),
                12_000_000_000L, false);
        String text = StatusReport.text(state(s), WALL);
        assertThat(text).startsWith("start_server (pid 4321) not serving: start failed: generation 1 (pid 10) exited "
                + "with status 3 before it counted as started; retrying\n");
        assertThat(text).contains("  next attempt 2023-11-14T22:13:32Z (in 2 s)\n", "last restart: none\n");
        assertThat(StatusReport.serving(s)).isFalse();
    }

    @Test
    void forAScriptTheSameAsJson() {
        assertThat(StatusReport.json(state(restarting()))).isEqualTo("{\"running\":true,\"serving\":true,\"pid\":4321,"
                + "\"phase\":\"starting\",\"status\":\"restart failed: generation 4 (pid 1250) exited with status 1 "
                + "before it counted as started; generation 5 starting, 3 serving\",\"lastGeneration\":5,"
                + "\"generations\":[{\"generation\":3,\"pid\":1240,\"state\":\"serving\",\"since\":\"2023-11-14T22:13:25Z\","
                + "\"readiness\":\"reported\",\"readyAt\":\"2023-11-14T22:13:24Z\",\"classCache\":\"cached\"},{\"generation\":5,\"pid\":1251,"
                + "\"state\":\"starting\",\"since\":\"2023-11-14T22:13:29Z\",\"readiness\":\"awaited\",\"readyAt\":null,\"classCache\":\"none\"}],"
                + "\"nextAttemptAt\":null,\"restartQueued\":false,\"lastRestart\":{\"sequence\":2,\"trigger\":\"HUP\","
                + "\"requestedAt\":\"2023-11-14T22:13:28Z\",\"outcome\":\"failed\",\"failedAttempts\":1,\"generation\":5,"
                + "\"endedAt\":\"2023-11-14T22:13:28Z\"},\"lastFailure\":{\"generation\":4,\"pid\":1250,"
                + "\"kind\":\"died-starting\",\"reason\":\"exited with status 1\",\"at\":\"2023-11-14T22:13:28Z\","
                + "\"description\":\"generation 4 (pid 1250) exited with status 1 before it counted as started\"}}\n");
    }

    @Test
    void withoutStateOnlyWhyWithQuotesEscaped() {
        assertThat(StatusReport.withoutStateJson(false, "pid file \"x\" is stale"))
                .isEqualTo("{\"running\":false,\"serving\":false,\"reason\":\"pid file \\\"x\\\" is stale\"}\n");
    }
}
