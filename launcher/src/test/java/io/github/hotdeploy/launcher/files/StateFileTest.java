package io.github.hotdeploy.launcher.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hotdeploy.launcher.supervision.Snapshot;
import io.github.hotdeploy.launcher.supervision.Supervisor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {
    @TempDir
    Path tmp;

    static Snapshot busy() {
        return new Snapshot(Supervisor.Phase.STARTING, 4, true, List.of(
                new Snapshot.Generation(3, 1240, Snapshot.Role.SERVING, 5_000_000_000L, Snapshot.Readiness.REPORTED,
                        4_900_000_000L, Snapshot.ClassCacheUse.CACHED),
                new Snapshot.Generation(4, 1250, Snapshot.Role.STARTING, 9_000_000_000L, Snapshot.Readiness.AWAITED, 0,
                        Snapshot.ClassCacheUse.RECORDING)),
                new Snapshot.Restart(2, Snapshot.Trigger.HUP, 8_000_000_000L, Snapshot.Outcome.FAILED, 1, 4,
                        8_500_000_000L),
                new Snapshot.Failure(4, 1249, Snapshot.FailureKind.DIED_STARTING, "exited with status 1", 8_500_000_000L),
                0, true);
    }

    @Test
    void whatIsWrittenIsReadBackWithItsClock() throws Exception {
        Path path = tmp.resolve("start_server.pid.state");
        StateFile file = new StateFile(path, 4321);
        file.write(busy(), 1_700_000_010_000L, 10_000_000_000L);

        StateFile.State state = StateFile.read(path).orElseThrow();

        assertThat(state.pid()).isEqualTo(4321);
        assertThat(state.snapshot()).isEqualTo(busy());
        assertThat(state.wallMillisOf(5_000_000_000L)).as("5 s before the clock reading").isEqualTo(1_700_000_005_000L);
        try (var names = Files.list(tmp)) {
            assertThat(names).as("the temporary file is renamed").containsExactly(path);
        }
    }

    @Test
    void aReasonWithSpacesSurvivesAndAQuietStartServerHasNoRestartOrFailure() throws Exception {
        Path path = tmp.resolve("s");
        Snapshot quiet = new Snapshot(Supervisor.Phase.RUNNING, 1, true, List.of(new Snapshot.Generation(1, 10,
                Snapshot.Role.SERVING, 1, Snapshot.Readiness.NOT_AWAITED, 0, Snapshot.ClassCacheUse.NONE)), null, null, 0,
                false);
        new StateFile(path, 1).write(quiet, 0, 0);
        assertThat(StateFile.read(path).orElseThrow().snapshot()).isEqualTo(quiet);
    }

    @Test
    void aGenerationLineWithoutItsClassCacheIsOneWithNone() throws Exception {
        // as a start_server from before the field wrote it, read by a newer --status
        Path path = Files.writeString(tmp.resolve("older"), StateFile.MAGIC + "\npid 1\nphase RUNNING\n"
                + "generation 2 20 SERVING 5 REPORTED 4\n");
        assertThat(StateFile.read(path).orElseThrow().snapshot().generations()).containsExactly(
                new Snapshot.Generation(2, 20, Snapshot.Role.SERVING, 5, Snapshot.Readiness.REPORTED, 4,
                        Snapshot.ClassCacheUse.NONE));
    }

    @Test
    void noFileIsNoStateAndAnythingElseIsMalformed() throws Exception {
        assertThat(StateFile.read(tmp.resolve("absent"))).isEmpty();
        Path other = Files.writeString(tmp.resolve("other"), "1234\n");
        assertThatThrownBy(() -> StateFile.read(other)).isInstanceOf(StateFile.Malformed.class)
                .hasMessageContaining("not a start_server state file");
        Path broken = Files.writeString(tmp.resolve("broken"), StateFile.MAGIC + "\npid 1\nphase RUNNING\ngeneration x\n");
        assertThatThrownBy(() -> StateFile.read(broken)).isInstanceOf(StateFile.Malformed.class)
                .hasMessageContaining("line 4");
    }

    @Test
    void removeDeletesOnlyWhatThisProcessWrote() throws Exception {
        Path path = Files.writeString(tmp.resolve("s"), "someone else's");
        new StateFile(path, 1).remove();
        assertThat(path).exists();
        StateFile mine = new StateFile(path, 1);
        mine.write(busy(), 0, 0);
        mine.remove();
        assertThat(path).doesNotExist();
    }

    @Test
    void itLivesBesideThePidFile() {
        assertThat(StateFile.beside("/run/app/start_server.pid")).isEqualTo(Path.of("/run/app/start_server.pid.state"));
    }
}
