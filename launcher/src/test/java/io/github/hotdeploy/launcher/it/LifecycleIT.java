package io.github.hotdeploy.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotdeploy.launcher.it.Client.Answer;
import io.github.hotdeploy.testsupport.FreePorts;
import io.github.hotdeploy.testsupport.ProcFs;
import io.github.hotdeploy.testsupport.Processes;
import io.github.hotdeploy.testsupport.StartServerRun;
import io.github.hotdeploy.testsupport.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The life cycle of generations (spec "Life cycle"): first start, failed starts, HUP, a worker
 * that dies, TERM and INT, with the original's log lines word for word.
 */
class LifecycleIT {
    @RegisterExtension
    final Launcher launcher = new Launcher();

    private final int port = FreePorts.tcp();

    private List<String> args(String... options) {
        List<String> args = new ArrayList<>(List.of("--port=127.0.0.1:" + port));
        args.addAll(List.of(options));
        args.add("--");
        args.addAll(Fixtures.pythonServer());
        return args;
    }

    @Test
    void announcesItselfAndServesTheFirstGeneration() throws Exception {
        StartServerRun run = launcher.start(args("--interval=0"));

        assertThat(run.awaitLine("^start_server \\(pid:(\\d+)\\) starting now\\.\\.\\.$").group(1))
                .isEqualTo(Long.toString(run.pid()));
        long worker = run.awaitWorker(1);
        Answer answer = Client.awaitGeneration(run, port, 1);
        assertThat(answer.pid()).isEqualTo(worker);
        assertThat(ProcFs.parent(worker)).contains(run.pid());
    }

    @Test
    void hupStartsANewGenerationAndRetiresTheOldOneOnlyAfterwards() {
        StartServerRun run = launcher.start(args("--interval=1"));
        long first = run.awaitWorker(1);
        Client.awaitGeneration(run, port, 1);

        run.signal("HUP");
        run.awaitLine("^received HUP, spawning a new worker$");
        long second = run.awaitWorker(2);
        run.awaitLine("^new worker is now running, sending TERM to old workers:" + first + "$");
        run.awaitLine("^killing old workers$");
        run.awaitLine("^old worker " + first + " died, status:0$");
        Answer answer = Client.awaitGeneration(run, port, 2);

        assertThat(answer.pid()).isEqualTo(second);
        // The old one is told to go only once the new one has counted as started (--interval).
        assertThat(run.indexOf("fixture " + first + " gen 1 received SIGTERM"))
                .isGreaterThan(run.indexOf("^new worker is now running"));
        assertThat(run.indexOf("fixture " + second + " gen 2 serving"))
                .isLessThan(run.indexOf("fixture " + first + " gen 1 received SIGTERM"));
        assertThat(run.isAlive()).isTrue();
    }

    @Test
    void signalOnHupChoosesWhatTheOldGenerationGets() {
        StartServerRun run = launcher.start(args("--interval=0", "--signal-on-hup=USR1"));
        long first = run.awaitWorker(1);
        run.awaitServing(1);

        run.signal("HUP");

        run.awaitLine("^new worker is now running, sending USR1 to old workers:" + first + "$");
        run.awaitLine("^fixture " + first + " gen 1 received SIGUSR1$");
        run.awaitLine("^old worker " + first + " died, status:0$");
    }

    @Test
    void aNewGenerationThatFailsToStartLeavesTheOldOneServing() {
        StartServerRun run = launcher.spec().args(args("--interval=1"))
                .env("FIXTURE_FAIL_GENERATIONS", "2").env("FIXTURE_FAIL_EXIT", "3").start();
        long first = run.awaitWorker(1);
        Client.awaitGeneration(run, port, 1);

        run.signal("HUP");
        long failed = run.awaitWorker(2);
        // $? of exit(3): the raw wait status, as the original prints it.
        run.awaitLine("^new worker " + failed + " seems to have failed to start, exit status:768$");
        long third = run.awaitWorker(3);
        run.awaitLine("^new worker is now running, sending TERM to old workers:" + first + "$");
        Answer answer = Client.awaitGeneration(run, port, 3);

        assertThat(answer.pid()).isEqualTo(third);
        // Generation 1 was never told to stop before generation 3 was up.
        assertThat(run.indexOf("fixture " + first + " gen 1 received"))
                .isGreaterThan(run.indexOf("^new worker is now running"));
    }

    @Test
    void failedFirstStartsAreRetriedAndUseUpGenerationNumbers() {
        StartServerRun run = launcher.spec().args(args("--interval=1"))
                .env("FIXTURE_FAIL_GENERATIONS", "1,2").env("FIXTURE_FAIL_EXIT", "7").start();

        long one = run.awaitWorker(1);
        run.awaitLine("^new worker " + one + " seems to have failed to start, exit status:1792$");
        long two = run.awaitWorker(2);
        run.awaitLine("^new worker " + two + " seems to have failed to start, exit status:1792$");
        long three = run.awaitWorker(3);

        assertThat(Client.awaitGeneration(run, port, 3).pid()).isEqualTo(three);
    }

    @Test
    void aWorkerThatDiesIsRestartedAsTheNextGeneration() {
        StartServerRun run = launcher.start(args("--interval=0"));
        long first = run.awaitWorker(1);
        Client.awaitGeneration(run, port, 1);

        Processes.signal(first, "KILL");

        run.awaitLine("^worker " + first + " died unexpectedly with status:9, restarting$");
        long second = run.awaitWorker(2);
        assertThat(Client.awaitGeneration(run, port, 2).pid()).isEqualTo(second);
    }

    @Test
    void termStopsEveryGenerationRemovesNothingItDidNotMakeAndExitsZero() {
        StartServerRun run = launcher.start(args("--interval=0"));
        long worker = run.awaitWorker(1);
        Client.awaitGeneration(run, port, 1);

        run.signal("TERM");

        assertThat(run.awaitExit()).isZero();
        assertThat(run.output()).containsSubsequence(
                "received TERM, sending TERM to all workers:" + worker,
                "fixture " + worker + " gen 1 received SIGTERM",
                "worker " + worker + " died, status:0",
                "exiting");
        assertThat(ProcFs.alive(worker)).isFalse();
        assertThat(Client.refused(port)).isTrue();
    }

    @Test
    void termReachesOldGenerationsThatAreStillAlive() {
        // The old generation ignores what it is sent on HUP, so two generations are alive.
        StartServerRun run = launcher.spec().args(args("--interval=0", "--signal-on-hup=USR2"))
                .env("FIXTURE_IGNORE", "USR2").start();
        long first = run.awaitWorker(1);
        run.awaitServing(1);
        run.signal("HUP");
        long second = run.awaitWorker(2);
        run.awaitServing(2);
        run.awaitLine("^fixture " + first + " gen 1 received SIGUSR2$");

        run.signal("TERM");

        assertThat(run.awaitExit()).isZero();
        // The original sorts the pids as strings.
        List<String> pids = new ArrayList<>(List.of(Long.toString(first), Long.toString(second)));
        pids.sort(null);
        assertThat(run.output()).contains("received TERM, sending TERM to all workers:" + String.join(",", pids));
        assertThat(run.output()).contains("worker " + first + " died, status:0", "worker " + second + " died, status:0", "exiting");
    }

    @Test
    void signalOnTermChoosesWhatWorkersGetOnTerm() {
        StartServerRun run = launcher.start(args("--interval=0", "--signal-on-term=USR1"));
        long worker = run.awaitWorker(1);
        run.awaitServing(1);

        run.signal("TERM");

        assertThat(run.awaitExit()).isZero();
        assertThat(run.output()).containsSubsequence(
                "received TERM, sending USR1 to all workers:" + worker,
                "fixture " + worker + " gen 1 received SIGUSR1",
                "worker " + worker + " died, status:0",
                "exiting");
    }

    @Test
    void intSendsTermWhateverSignalOnTermSays() {
        StartServerRun run = launcher.start(args("--interval=0", "--signal-on-term=USR1"));
        long worker = run.awaitWorker(1);
        run.awaitServing(1);

        run.signal("INT");

        assertThat(run.awaitExit()).isZero();
        assertThat(run.output()).containsSubsequence(
                "received INT, sending TERM to all workers:" + worker,
                "fixture " + worker + " gen 1 received SIGTERM",
                "worker " + worker + " died, status:0",
                "exiting");
    }

    @Test
    void theExitStatusOfAStoppedWorkerIsTheRawWaitStatus() {
        StartServerRun run = launcher.spec().args(args("--interval=0")).env("FIXTURE_TERM_EXIT", "2").start();
        long worker = run.awaitWorker(1);
        run.awaitServing(1);

        run.signal("TERM");

        assertThat(run.awaitExit()).isZero();
        assertThat(run.output()).contains("worker " + worker + " died, status:512");
    }

    @Test
    void killOldDelayWaitsBeforeSignallingTheOldGeneration() {
        StartServerRun run = launcher.start(args("--interval=0", "--kill-old-delay=2"));
        long first = run.awaitWorker(1);
        run.awaitServing(1);

        run.signal("HUP");

        run.awaitLine("^sleeping 2 secs before killing old workers$");
        run.awaitLine("^old worker " + first + " died, status:0$");
        long waited = run.readAt("^killing old workers$") - run.readAt("^new worker is now running");
        assertThat(Duration.ofNanos(waited)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        assertThat(run.indexOf("fixture " + first + " gen 1 received SIGTERM")).isGreaterThan(run.indexOf("^killing old workers$"));
    }

    @Test
    void intervalIsHowLongANewWorkerMustLiveToCountAsStarted() {
        StartServerRun run = launcher.start(args("--interval=2"));
        run.awaitWorker(1);
        run.awaitServing(1);

        run.signal("HUP");

        run.awaitLine("^new worker is now running");
        long waited = run.readAt("^new worker is now running") - run.readAt("^starting new worker \\d+$", 2);
        assertThat(Duration.ofNanos(waited)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    @Test
    void aProgramThatKeepsExitingIsRetriedWithGrowingPauses() {
        Impl.assumeOurs("the original respawns at full speed (every --interval, here 0)");
        StartServerRun run = launcher.spec().args(args("--interval=0")).env("FIXTURE_EXIT", "1").start();

        run.awaitWorker(6);

        // From a death to the next start: the pause alone, without the fixture's own start-up
        // (1.3-1.7 s on a loaded machine, which made start-to-start gaps flaky). The first death
        // is respawned at once, as the original does; from the second on the pause doubles from
        // 250 ms (2 s after the fifth). Load adds about the same delay to both pauses, so a
        // constant pause fails the ratio and a slow machine does not.
        String died = "^worker \\d+ died unexpectedly|^new worker \\d+ seems to have failed to start";
        long firstPause = run.readAt("^starting new worker", 3) - run.readAt(died, 2);
        long laterPause = run.readAt("^starting new worker", 6) - run.readAt(died, 5);
        assertThat(Duration.ofNanos(laterPause)).as("pause after the 5th death vs after the 2nd (%d ms)",
                        firstPause / 1_000_000)
                .isGreaterThanOrEqualTo(Duration.ofNanos(firstPause * 2))
                .isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        assertThat(run.isAlive()).isTrue();
    }

    @Test
    void aHupDuringTheFirstStartLeadsToASecondGeneration() {
        StartServerRun run = launcher.start(args("--interval=2"));
        long first = run.awaitWorker(1);
        run.awaitServing(1);

        // Still within the first --interval: generation 1 has not counted as started yet.
        run.signal("HUP");

        run.awaitLine("^received HUP, spawning a new worker$");
        long second = run.awaitWorker(2);
        run.awaitLine("^new worker is now running, sending TERM to old workers:" + first + "$");
        assertThat(Client.awaitGeneration(run, port, 2).pid()).isEqualTo(second);
    }

    @Test
    void aTermDuringTheFirstStartStopsCleanly() {
        StartServerRun run = launcher.start(args("--interval=3"));
        long first = run.awaitWorker(1);
        run.awaitServing(1);

        run.signal("TERM");

        assertThat(run.awaitExit()).isZero();
        assertThat(run.output()).contains("worker " + first + " died, status:0", "exiting");
        assertThat(ProcFs.alive(first)).isFalse();
    }

    @Test
    void everyOldGenerationStillAliveIsSignalledAgain() {
        // Old generations ignore USR2, so after two HUPs two of them are still around.
        StartServerRun run = launcher.spec().args(args("--interval=0", "--signal-on-hup=USR2")).env("FIXTURE_IGNORE", "USR2").start();
        long first = run.awaitWorker(1);
        run.awaitServing(1);
        run.signal("HUP");
        long second = run.awaitWorker(2);
        run.awaitServing(2);
        run.awaitLine("^killing old workers$");

        run.signal("HUP");
        run.awaitWorker(3);

        // The original lists them sorted as strings.
        List<String> old = new ArrayList<>(List.of(Long.toString(first), Long.toString(second)));
        old.sort(null);
        run.awaitLine("^new worker is now running, sending USR2 to old workers:" + String.join(",", old) + "$");
        run.awaitLine("^fixture " + first + " gen 1 received SIGUSR2$", 2);
    }

    @Test
    void noExitedChildIsLeftUnreaped() {
        StartServerRun run = launcher.start(args("--interval=0"));
        long first = run.awaitWorker(1);
        Client.awaitGeneration(run, port, 1);
        Processes.signal(first, "KILL");
        run.awaitWorker(2);
        run.signal("HUP");
        run.awaitLine("^old worker \\d+ died");

        Waits.until("no zombie child of start_server", () -> ProcFs.zombieChildren(run.pid()).isEmpty());
    }
}
