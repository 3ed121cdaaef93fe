package io.github.hotdeploy.launcher.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotdeploy.launcher.supervision.Snapshot;
import io.github.hotdeploy.launcher.supervision.Snapshot.Generation;
import io.github.hotdeploy.launcher.supervision.Snapshot.Role;
import io.github.hotdeploy.launcher.supervision.Supervisor.Phase;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cases the supervisor's tests do not reach; the sequences themselves are in SupervisorTest. */
class SystemdMessagesTest {

    private static Generation gen(int number, Role role) {
        return new Generation(number, 100 + number, role, 0, Snapshot.Readiness.NOT_AWAITED, 0, Snapshot.ClassCacheUse.NONE);
    }

    private static Snapshot running(List<Generation> generations, Snapshot.Restart restart) {
        return new Snapshot(Phase.RUNNING, 3, true, generations, restart, null, 0, false);
    }

    @Test
    void aStopWithSeveralGenerationsNamesThemAll() {
        Snapshot stopping = new Snapshot(Phase.STOPPING, 3, true, List.of(gen(2, Role.DRAINING), gen(3, Role.DRAINING)),
                null, null, 0, false);
        assertThat(SystemdMessages.status(stopping)).isEqualTo("stopping: generations 2, 3 draining");
    }

    @Test
    void oldGenerationsWaitingOutTheKillOldDelayCountAsDraining() {
        assertThat(SystemdMessages.status(running(List.of(gen(2, Role.RETIRING), gen(3, Role.SERVING)), null)))
                .isEqualTo("generation 3 (pid 103) serving, 2 draining");
    }

    @Test
    void aQueuedRestartStartingAsTheLastOneEndsIsToldInOneDatagram() {
        Snapshot.Restart first = new Snapshot.Restart(1, Snapshot.Trigger.HUP, 5_000_000, Snapshot.Outcome.IN_PROGRESS, 0,
                3, 0);
        Snapshot.Restart second = new Snapshot.Restart(2, Snapshot.Trigger.HUP, 9_000_000, Snapshot.Outcome.IN_PROGRESS, 0,
                4, 0);
        Snapshot before = running(List.of(gen(2, Role.SERVING), gen(3, Role.STARTING)), first);
        Snapshot after = running(List.of(gen(2, Role.DRAINING), gen(3, Role.SERVING), gen(4, Role.STARTING)), second);
        assertThat(SystemdMessages.between(before, after)).isEqualTo("READY=1\nRELOADING=1\nMONOTONIC_USEC=9000\n"
                + "STATUS=generation 4 starting, 3 serving, 2 draining");
    }

    @Test
    void nothingChangedNothingSent() {
        Snapshot s = running(List.of(gen(3, Role.SERVING)), null);
        assertThat(SystemdMessages.between(s, s)).isEmpty();
    }

    @Test
    void aGenerationWaitedForSaysSo() {
        Snapshot s = new Snapshot(Phase.STARTING, 1, false, List.of(new Generation(1, 101, Role.STARTING, 0,
                Snapshot.Readiness.AWAITED, 0, Snapshot.ClassCacheUse.NONE)), null, null, 0, false);
        assertThat(SystemdMessages.status(s)).isEqualTo("generation 1 (pid 101) starting, waiting for READY=1");
    }
}
