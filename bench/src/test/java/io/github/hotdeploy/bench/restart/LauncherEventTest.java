package io.github.hotdeploy.bench.restart;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotdeploy.bench.restart.LauncherEvent.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class LauncherEventTest {

    @Test
    void readsEveryLineOfARestart() {
        assertThat(LauncherEvent.parse("received HUP, spawning a new worker", 1).kind()).isEqualTo(Kind.HUP_RECEIVED);
        LauncherEvent starting = LauncherEvent.parse("starting new worker 14016", 2);
        assertThat(starting.kind()).isEqualTo(Kind.WORKER_STARTING);
        assertThat(starting.pids()).containsExactly(14016L);
        LauncherEvent running = LauncherEvent.parse("new worker is now running, sending TERM to old workers:13895", 3);
        assertThat(running.kind()).isEqualTo(Kind.NEW_WORKER_RUNNING);
        assertThat(running.pids()).containsExactly(13895L);
        assertThat(running.epochMs()).isEqualTo(3);
        assertThat(LauncherEvent.parse("killing old workers", 4).kind()).isEqualTo(Kind.KILLING_OLD);
        LauncherEvent died = LauncherEvent.parse("old worker 13895 died, status:36608", 5);
        assertThat(died.kind()).isEqualTo(Kind.OLD_WORKER_DIED);
        assertThat(died.pids()).containsExactly(13895L);
    }

    @Test
    void severalOldWorkersAndOtherSignals() {
        LauncherEvent e = LauncherEvent.parse("new worker is now running, sending USR1 to old workers:101,99,1000", 0);
        assertThat(e.pids()).isEqualTo(List.of(101L, 99L, 1000L));
    }

    @Test
    void failures() {
        assertThat(LauncherEvent.parse("new worker 77 seems to have failed to start, exit status:256", 0).kind())
                .isEqualTo(Kind.START_FAILED);
        assertThat(LauncherEvent.parse("worker 78 died unexpectedly with status:9, restarting", 0).kind())
                .isEqualTo(Kind.WORKER_DIED_UNEXPECTEDLY);
    }

    @Test
    void theChildrensOutputIsNotAnEvent() {
        assertThat(LauncherEvent.parse("2026-11-25T20:24:14Z demo-app[13895] listening on http://127.0.0.1:18301/", 0)).isNull();
        assertThat(LauncherEvent.parse("start_server-agent: ready: accepting on [127.0.0.1:18301]; told start_server", 0)).isNull();
        // "worker 14016 died, status:..." is the final stop, not a restart's old generation
        assertThat(LauncherEvent.parse("worker 14016 died, status:36608", 0)).isNull();
        assertThat(LauncherEvent.parse("an app that logs: old worker 5 died, status:0", 0)).isNull();
        assertThat(LauncherEvent.parse("", 0)).isNull();
    }

    @Test
    void theAgentsEndOfDrain() {
        LauncherEvent done = LauncherEvent.parse("start_server-agent: drain (pid 4477): done in 4813 ms (220 idle connection(s) "
                + "half-closed; 17 looks, 40 ms CPU); handing over to the application's shutdown", 9);
        assertThat(done.kind()).isEqualTo(Kind.DRAIN_DONE);
        assertThat(done.pids()).containsExactly(4477L);
        assertThat(LauncherEvent.parse("start_server-agent: warning: drain (pid 12): timeout after 30001 ms with 1 "
                + "connection(s) still busy", 0).kind()).isEqualTo(Kind.DRAIN_DONE);
        assertThat(LauncherEvent.parse("start_server-agent: drain (pid 12): stopped accepting on [127.0.0.1:8080]", 0))
                .isNull();
    }
}
