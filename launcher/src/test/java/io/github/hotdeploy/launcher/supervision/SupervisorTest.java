package io.github.hotdeploy.launcher.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotdeploy.launcher.os.NamedSignal;
import io.github.hotdeploy.launcher.os.Signals;
import io.github.hotdeploy.launcher.systemd.SystemdMessages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The life cycle against a scripted fake OS and a hand-driven clock: no processes, no waiting. */
class SupervisorTest {
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
    private final FakeWorkers workers = new FakeWorkers();
    private final List<String> log = new ArrayList<>();
    private SortedMap<Integer, Long> status = new TreeMap<>();

    private Duration killAfter;
    /** The log command's exit, as the real LogSink reports it once: null while it runs. */
    private String logCommandExit;
    private final LogControl logControl = new LogControl() {
        @Override
        public String reopen() {
            return "reopened";
        }

        @Override
        public java.util.Optional<String> reapCommand() {
            String exit = logCommandExit;
            logCommandExit = null;
            return java.util.Optional.ofNullable(exit);
        }
    };
    private Duration heartbeat;
    private final List<Snapshot> snapshots = new ArrayList<>();
    private int heartbeats;
    /** What a systemd listening on NOTIFY_SOCKET would have received, datagram by datagram. */
    private final List<String> notified = new ArrayList<>();
    private final Observer observer = new Observer() {
        @Override
        public void changed(Snapshot snapshot) {
            String message = SystemdMessages.between(snapshots.isEmpty() ? null : snapshots.get(snapshots.size() - 1),
                    snapshot);
            if (!message.isEmpty()) {
                notified.add(message);
            }
            snapshots.add(snapshot);
        }

        @Override
        public void heartbeat() {
            heartbeats++;
        }
    };

    /** --interval for a generation whose READY=1 is awaited: none, as when the option is not given. */
    private Duration readyInterval = Duration.ZERO;

    private Supervisor supervisor(Duration killOldDelay, Duration autoRestart) {
        SupervisorSettings settings = new SupervisorSettings(Duration.ofSeconds(1), readyInterval, NamedSignal.TERM,
                NamedSignal.TERM, killOldDelay, autoRestart, Duration.ofSeconds(60), killAfter);
        return new Supervisor(settings, workers, new LinkedBlockingQueue<>(), log::add, s -> status = new TreeMap<>(s),
                observer, heartbeat, logControl, clock::get, LiveTimers.fixed(settings));
    }

    private Supervisor started() {
        Supervisor s = supervisor(Duration.ZERO, null);
        s.start();
        advance(s, 1);
        return s;
    }

    private void advance(Supervisor s, double seconds) {
        clock.addAndGet((long) (seconds * SECOND));
        s.tick();
    }

    private void exit(Supervisor s, long pid, int status) {
        workers.exited.put(pid, status);
        s.handle(new Event.ChildStateChanged());
    }

    @Test
    void anExitedLogCommandIsReapedOnSigchldAndUsr1ReopensTheLog() {
        Supervisor s = started();
        logCommandExit = "log command 77 exited, status:0; its lines wait until USR1 restarts it";
        s.handle(new Event.ChildStateChanged());
        assertThat(log).last().isEqualTo("log command 77 exited, status:0; its lines wait until USR1 restarts it");
        assertThat(s.phase()).as("the generations are not affected").isEqualTo(Supervisor.Phase.RUNNING);
        s.handle(new Event.SignalReceived(Signals.USR1));
        assertThat(log).last().isEqualTo("received USR1, reopened");
    }

    @Test
    void firstGenerationCountsAsStartedAfterTheInterval() {
        Supervisor s = supervisor(Duration.ZERO, null);
        s.start();
        advance(s, 0.5);
        assertThat(status).isEmpty();
        advance(s, 0.5);
        assertThat(status).containsExactly(Map.entry(1, 101L));
        assertThat(s.phase()).isEqualTo(Supervisor.Phase.RUNNING);
        assertThat(log).containsExactly("starting new worker 101");
    }

    @Test
    void hupStartsANewGenerationAndSignalsTheOldOneOnlyOnceItIsUp() {
        Supervisor s = started();
        s.handle(new Event.SignalReceived(Signals.HUP));
        assertThat(workers.signals).isEmpty();
        advance(s, 1);
        assertThat(log).containsExactly("starting new worker 101", "received HUP, spawning a new worker",
                "starting new worker 102", "new worker is now running, sending TERM to old workers:101",
                "killing old workers");
        assertThat(workers.signals).containsExactly("101:15");
        assertThat(status).containsExactly(Map.entry(1, 101L), Map.entry(2, 102L));
        exit(s, 101, 15);
        assertThat(log).last().isEqualTo("old worker 101 died, status:15");
        assertThat(status).containsExactly(Map.entry(2, 102L));
    }

    @Test
    void aNewGenerationThatDiesLeavesTheOldOneUntouchedAndIsRetriedWithBackOff() {
        Supervisor s = started();
        s.handle(new Event.SignalReceived(Signals.HUP));
        exit(s, 102, 256);
        assertThat(log).contains("new worker 102 seems to have failed to start, exit status:256");
        advance(s, 1);
        assertThat(workers.spawned).containsExactly(1, 2, 3);
        exit(s, 103, 256);
        advance(s, 1);
        assertThat(workers.spawned).as("second failure: 0.5 s back-off, still within the interval")
                .containsExactly(1, 2, 3, 4);
        exit(s, 104, 256);
        advance(s, 1);
        assertThat(workers.spawned).as("third failure backs off 1 s").containsExactly(1, 2, 3, 4, 5);
        assertThat(workers.signals).as("the old generation is never signalled while the new one fails").isEmpty();
        assertThat(status).containsExactly(Map.entry(1, 101L));
        advance(s, 1);
        assertThat(log).contains("new worker is now running, sending TERM to old workers:101");
        assertThat(workers.signals).containsExactly("101:15");
    }

    @Test
    void hupsDuringARestartCollapseIntoOneMoreRestart() {
        Supervisor s = started();
        s.handle(new Event.SignalReceived(Signals.HUP));
        s.handle(new Event.SignalReceived(Signals.HUP));
        s.handle(new Event.SignalReceived(Signals.HUP));
        s.handle(new Event.SignalReceived(Signals.HUP));
        advance(s, 1);
        assertThat(workers.spawned).containsExactly(1, 2, 3);
        advance(s, 1);
        assertThat(workers.spawned).containsExactly(1, 2, 3);
        assertThat(log.stream().filter(l -> l.startsWith("received HUP"))).hasSize(2);
    }

    @Test
    void termSignalsEveryGenerationWaitsForAllAndExits() {
        Supervisor s = started();
        s.handle(new Event.SignalReceived(Signals.HUP));
        s.handle(new Event.SignalReceived(Signals.TERM));
        assertThat(log).contains("received TERM, sending TERM to all workers:101,102");
        assertThat(workers.signals).containsExactly("101:15", "102:15");
        exit(s, 101, 15);
        assertThat(s.phase()).isEqualTo(Supervisor.Phase.STOPPING);
        exit(s, 102, 15);
        assertThat(log).endsWith("worker 101 died, status:15", "worker 102 died, status:15", "exiting");
        assertThat(s.phase()).isEqualTo(Supervisor.Phase.DONE);
    }

    @Test
    void aRunningGenerationThatDiesIsReplacedAtOnce() {
        Supervisor s = started();
        exit(s, 101, 9);
        assertThat(log).endsWith("worker 101 died unexpectedly with status:9, restarting", "starting new worker 102");
        advance(s, 1);
        assertThat(status).containsExactly(Map.entry(2, 102L));
    }

    @Test
    void aGenerationThatKeepsCrashingSoonAfterStartingIsRespawnedWithBackOff() {
        Supervisor s = started();
        exit(s, 101, 256);
        assertThat(workers.spawned).as("first crash: respawned at once").containsExactly(1, 2);
        advance(s, 1);
        exit(s, 102, 256);
        assertThat(workers.spawned).as("second quick crash: backs off").containsExactly(1, 2);
        advance(s, 0.25);
        assertThat(workers.spawned).containsExactly(1, 2, 3);
        advance(s, 1);
        exit(s, 103, 256);
        advance(s, 0.25);
        assertThat(workers.spawned).as("the back-off doubles").containsExactly(1, 2, 3);
        advance(s, 0.25);
        assertThat(workers.spawned).containsExactly(1, 2, 3, 4);
    }

    @Test
    void killOldDelayPostponesTheSignal() {
        Supervisor s = supervisor(Duration.ofSeconds(5), null);
        s.start();
        advance(s, 1);
        s.handle(new Event.SignalReceived(Signals.HUP));
        advance(s, 1);
        assertThat(log).last().isEqualTo("sleeping 5 secs before killing old workers");
        advance(s, 4);
        assertThat(workers.signals).isEmpty();
        advance(s, 1);
        assertThat(workers.signals).containsExactly("101:15");
    }

    @Test
    void termDuringKillOldDelayWaitsForTheDelayAndTheSignalToTheOldOnes() {
        Supervisor s = supervisor(Duration.ofSeconds(3), null);
        s.start();
        advance(s, 1);
        s.handle(new Event.SignalReceived(Signals.HUP));
        advance(s, 1);
        s.handle(new Event.SignalReceived(Signals.TERM));
        assertThat(workers.signals).isEmpty();
        advance(s, 3);
        assertThat(log).containsSubsequence("killing old workers", "received TERM, sending TERM to all workers:101,102");
        assertThat(workers.signals).containsExactly("101:15", "101:15", "102:15");
    }

    @Test
    void onlySpawnsAfterTheFirstGenerationStartedSeeTheEnvdirReRead() {
        Supervisor s = supervisor(Duration.ZERO, null);
        s.start();
        exit(s, 101, 256);
        advance(s, 1);
        advance(s, 1);
        s.handle(new Event.SignalReceived(Signals.HUP));
        assertThat(workers.afterFirstWakeup).containsExactly(false, false, true);
    }

    @Test
    void autoRestartFiresAfterTheInterval() {
        Supervisor s = supervisor(Duration.ZERO, Duration.ofSeconds(10));
        s.start();
        advance(s, 1);
        advance(s, 9.9);
        assertThat(workers.spawned).containsExactly(1);
        advance(s, 0.1);
        assertThat(log).contains("autorestart triggered (interval=10)");
        assertThat(workers.spawned).containsExactly(1, 2);
    }

    @Test
    void aGenerationExpectedToNotifyStartsOnlyWhenReady() {
        workers.notifying = true;
        Supervisor s = supervisor(Duration.ZERO, null);
        s.start();
        advance(s, 5);
        assertThat(status).isEmpty();
        s.handle(new Event.Ready(101));
        s.tick();
        assertThat(status).containsExactly(Map.entry(1, 101L));
    }

    @Test
    void aGenerationThatSaysReadyIsPromotedAtOnceWithNoIntervalFloor() {
        workers.notifying = true;
        Supervisor s = supervisor(Duration.ZERO, null);
        s.start();
        advance(s, 0.2);
        s.handle(new Event.Ready(101));
        assertThat(status).as("no tick, no time passed: started in the step that took its READY=1")
                .containsExactly(Map.entry(1, 101L));
        assertThat(last().serving().pid()).isEqualTo(101);

        s.handle(new Event.SignalReceived(Signals.HUP));
        advance(s, 0.1);
        assertThat(workers.signals).isEmpty();
        s.handle(new Event.Ready(102));
        assertThat(log).endsWith("new worker is now running, sending TERM to old workers:101", "killing old workers");
        assertThat(workers.signals).containsExactly("101:15");
        assertThat(last().restart().endedAtNanos() - last().restart().requestedAtNanos())
                .as("the restart took as long as the new generation needed, not the 1 s --interval")
                .isEqualTo(SECOND / 10);
    }

    @Test
    void anIntervalGivenOnTheCommandLineIsStillAFloorForAGenerationThatSaysReady() {
        readyInterval = Duration.ofSeconds(3);
        workers.notifying = true;
        Supervisor s = supervisor(Duration.ZERO, null);
        s.start();
        advance(s, 0.5);
        s.handle(new Event.Ready(101));
        advance(s, 2.4);
        assertThat(status).as("ready, but not 3 s old yet").isEmpty();
        advance(s, 0.1);
        assertThat(status).containsExactly(Map.entry(1, 101L));

        s.handle(new Event.SignalReceived(Signals.HUP));
        advance(s, 4);
        assertThat(workers.signals).as("3 s old but not ready: nothing").isEmpty();
        s.handle(new Event.Ready(102));
        assertThat(workers.signals).as("ready after the floor: at once").containsExactly("101:15");
    }

    @Test
    void aGenerationNotAwaitedIgnoresTheReadyIntervalAndWaitsTheOriginalsInterval() {
        Supervisor s = supervisor(Duration.ZERO, null);
        s.start();
        advance(s, 0.9);
        assertThat(status).isEmpty();
        advance(s, 0.1);
        assertThat(status).containsExactly(Map.entry(1, 101L));
    }

    @Test
    void aGenerationThatNeverBecomesReadyIsStoppedAndTheOldOneKeepsServing() {
        Supervisor s = started();
        workers.notifying = true;
        s.handle(new Event.SignalReceived(Signals.HUP));
        advance(s, 60);
        assertThat(workers.signals).containsExactly("102:15");
        advance(s, 10);
        assertThat(workers.signals).containsExactly("102:15", "102:9");
        exit(s, 102, 9);
        assertThat(status).containsExactly(Map.entry(1, 101L));
        assertThat(log).contains("new worker 102 seems to have failed to start, exit status:9");
    }

    @Test
    void aReadyThatComesAfterTheReadinessTermDoesNotPromoteTheGeneration() {
        Supervisor s = started();
        workers.notifying = true;
        s.handle(new Event.SignalReceived(Signals.HUP));
        advance(s, 60);
        assertThat(workers.signals).containsExactly("102:15");
        s.handle(new Event.Ready(102)); // a slow boot finishing while the TERM is on its way
        advance(s, 4);
        assertThat(workers.signals).as("the old generation is left serving").containsExactly("102:15");
        assertThat(status).containsExactly(Map.entry(1, 101L));
        assertThat(log).contains("new worker 102 reported ready after it was sent TERM; ignored");
        exit(s, 102, 143);
        assertThat(status).containsExactly(Map.entry(1, 101L));
    }

    @Test
    void anOldGenerationStillAliveAfterKillAfterGetsKill() {
        killAfter = Duration.ofSeconds(30);
        Supervisor s = started();
        s.handle(new Event.SignalReceived(Signals.HUP));
        advance(s, 1);
        assertThat(workers.signals).containsExactly("101:15");
        advance(s, 29);
        assertThat(workers.signals).containsExactly("101:15");
        advance(s, 1);
        assertThat(workers.signals).containsExactly("101:15", "101:9");
        assertThat(log).contains("old worker 101 still alive 30 secs after it was signalled, sending KILL");
        advance(s, 60);
        assertThat(workers.signals).as("only once").hasSize(2);
    }

    @Test
    void atStopEveryGenerationStillAliveAfterKillAfterGetsKill() {
        killAfter = Duration.ofSeconds(5);
        Supervisor s = started();
        s.handle(new Event.SignalReceived(Signals.TERM));
        advance(s, 5);
        assertThat(workers.signals).containsExactly("101:15", "101:9");
        exit(s, 101, 9);
        assertThat(s.phase()).isEqualTo(Supervisor.Phase.DONE);
    }

    // ---- what is published: snapshots, systemd's notifications, the heartbeat, the ending ---------

    private Snapshot last() {
        return snapshots.get(snapshots.size() - 1);
    }

    @Test
    void systemdHearsReadyOnceTheFirstGenerationStartsThenReloadingAndReadyAroundEachRestartThenStopping() {
        Supervisor s = started();
        assertThat(notified).containsExactly("STATUS=generation 1 (pid 101) starting",
                "READY=1\nSTATUS=generation 1 (pid 101) serving");
        notified.clear();
        long hupAt = clock.get();

        s.handle(new Event.SignalReceived(Signals.HUP));
        advance(s, 1);
        exit(s, 101, 15);
        s.handle(new Event.SignalReceived(Signals.TERM));
        exit(s, 102, 15);

        assertThat(notified).containsExactly(
                "RELOADING=1\nMONOTONIC_USEC=" + hupAt / 1000 + "\nSTATUS=generation 2 starting, 1 serving",
                "READY=1\nSTATUS=generation 2 (pid 102) serving, 1 draining",
                "STATUS=generation 2 (pid 102) serving",
                "STOPPING=1\nSTATUS=stopping: generation 2 (pid 102) draining",
                "STATUS=stopped");
    }

    @Test
    void aFailedRestartEndsTheReloadWithReadyAndSaysWhyWhileTheOldGenerationServes() {
        Supervisor s = started();
        notified.clear();
        s.handle(new Event.SignalReceived(Signals.HUP));
        exit(s, 102, 256);
        advance(s, 1);
        advance(s, 1);

        assertThat(notified).hasSize(4);
        assertThat(notified.get(0)).startsWith("RELOADING=1\nMONOTONIC_USEC=");
        assertThat(notified.subList(1, 4)).containsExactly(
                "READY=1\nSTATUS=restart failed: generation 2 (pid 102) exited with status 1 before it counted as "
                        + "started; generation 1 (pid 101) serving, retrying",
                "STATUS=restart failed: generation 2 (pid 102) exited with status 1 before it counted as started; "
                        + "generation 3 starting, 1 serving",
                "STATUS=generation 3 (pid 103) serving, 1 draining");
    }

    @Test
    void aMissedReadinessDeadlineFailsTheRestartWhenTheTermIsSentNotWhenTheGenerationIsGone() {
        Supervisor s = started();
        workers.notifying = true;
        s.handle(new Event.SignalReceived(Signals.HUP));
        assertThat(last().starting().readiness()).isEqualTo(Snapshot.Readiness.AWAITED);
        advance(s, 60);

        assertThat(last().restart().outcome()).isEqualTo(Snapshot.Outcome.FAILED);
        assertThat(last().lastFailure().describe()).isEqualTo("generation 2 (pid 102) did not report ready within 60 secs");
        assertThat(last().generations()).extracting(Snapshot.Generation::role)
                .containsExactly(Snapshot.Role.SERVING, Snapshot.Role.ABANDONED);
        assertThat(notified).last().isEqualTo("READY=1\nSTATUS=restart failed: generation 2 (pid 102) did not "
                + "report ready within 60 secs; generation 1 (pid 101) serving, retrying");
        exit(s, 102, 15);
        assertThat(last().restart().failedAttempts()).as("counted once").isEqualTo(1);
        assertThat(last().lastFailure().kind()).isEqualTo(Snapshot.FailureKind.NOT_READY);
    }

    @Test
    void aRestartRecordsItsOutcomeAndTheGenerationThatTookOver() {
        Supervisor s = started();
        s.handle(new Event.SignalReceived(Signals.HUP));
        assertThat(last().restart()).isEqualTo(new Snapshot.Restart(1, Snapshot.Trigger.HUP, clock.get(),
                Snapshot.Outcome.IN_PROGRESS, 0, 2, 0));
        assertThat(last().lastGeneration()).isEqualTo(2);
        exit(s, 102, 9);
        advance(s, 1);
        advance(s, 1);

        Snapshot.Restart restart = last().restart();
        assertThat(restart.outcome()).isEqualTo(Snapshot.Outcome.SUCCEEDED);
        assertThat(restart.failedAttempts()).isEqualTo(1);
        assertThat(restart.generation()).isEqualTo(3);
        assertThat(last().lastFailure()).isEqualTo(new Snapshot.Failure(2, 102, Snapshot.FailureKind.DIED_STARTING,
                "was killed by signal 9 (KILL)", restart.requestedAtNanos()));
    }

    @Test
    void eachGenerationShowsItsRoleAndSinceWhen() {
        Supervisor s = supervisor(Duration.ofSeconds(3), null);
        s.start();
        long spawned = clock.get();
        assertThat(last().generations()).containsExactly(new Snapshot.Generation(1, 101, Snapshot.Role.STARTING,
                spawned, Snapshot.Readiness.NOT_AWAITED, 0, Snapshot.ClassCacheUse.NONE));
        advance(s, 1);
        s.handle(new Event.SignalReceived(Signals.HUP));
        advance(s, 1);
        long promoted = clock.get();
        assertThat(last().generations()).extracting(Snapshot.Generation::role, Snapshot.Generation::sinceNanos)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Snapshot.Role.RETIRING, promoted),
                        org.assertj.core.groups.Tuple.tuple(Snapshot.Role.SERVING, promoted));
        advance(s, 3);
        assertThat(last().generations().get(0).role()).isEqualTo(Snapshot.Role.DRAINING);
        assertThat(last().generations().get(0).sinceNanos()).isEqualTo(promoted + 3 * SECOND);
        exit(s, 101, 15);
        assertThat(last().generations()).extracting(Snapshot.Generation::number).containsExactly(2);
    }

    @Test
    void anOldGenerationWhoseApplicationIsDownIsExitingButListedUntilItIsReaped() {
        Supervisor s = started();
        s.handle(new Event.ApplicationDown(101));
        assertThat(last().serving().role()).as("only a signalled generation can be exiting").isEqualTo(Snapshot.Role.SERVING);
        s.handle(new Event.SignalReceived(Signals.HUP));
        advance(s, 1);
        assertThat(last().generations().get(0).role()).isEqualTo(Snapshot.Role.DRAINING);
        advance(s, 2);
        s.handle(new Event.ApplicationDown(101));
        assertThat(last().generations()).extracting(Snapshot.Generation::role, Snapshot.Generation::sinceNanos)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Snapshot.Role.EXITING, clock.get()),
                        org.assertj.core.groups.Tuple.tuple(Snapshot.Role.SERVING, clock.get() - 2 * SECOND));
        assertThat(notified).last().isEqualTo("STATUS=generation 2 (pid 102) serving, 1 exiting (writing the class cache)");
        assertThat(status).as("a live process, as the original lists it").containsExactly(Map.entry(1, 101L),
                Map.entry(2, 102L));
        exit(s, 101, 0);
        assertThat(last().generations()).extracting(Snapshot.Generation::number).containsExactly(2);
        assertThat(status).containsExactly(Map.entry(2, 102L));
    }

    @Test
    void aReportedReadinessIsShownWithItsTime() {
        readyInterval = Duration.ofSeconds(3); // keeps it starting after its READY=1
        workers.notifying = true;
        Supervisor s = supervisor(Duration.ZERO, null);
        s.start();
        advance(s, 2);
        s.handle(new Event.Ready(101));
        assertThat(last().starting().readiness()).isEqualTo(Snapshot.Readiness.REPORTED);
        assertThat(last().starting().readyAtNanos()).isEqualTo(clock.get());
        advance(s, 1);
        assertThat(last().serving().readiness()).isEqualTo(Snapshot.Readiness.REPORTED);
    }

    @Test
    void eachGenerationShowsWhatTheClassCacheDoesForIt() {
        workers.cacheUse.put(101L, Snapshot.ClassCacheUse.RECORDING);
        workers.cacheUse.put(102L, Snapshot.ClassCacheUse.CACHED);
        Supervisor s = started();
        assertThat(last().serving().classCache()).isEqualTo(Snapshot.ClassCacheUse.RECORDING);
        s.handle(new Event.SignalReceived(Signals.HUP));
        assertThat(last().starting().classCache()).isEqualTo(Snapshot.ClassCacheUse.CACHED);
    }

    @Test
    void aServingGenerationThatDiesIsTheLastFailureAndHupsDuringARestartAreShownQueued() {
        Supervisor s = started();
        exit(s, 101, 11 | 0x80);
        assertThat(last().lastFailure().describe())
                .isEqualTo("generation 1 (pid 101) was killed by signal 11 (SEGV), core dumped while serving");
        assertThat(notified).last().isEqualTo("STATUS=generation 1 (pid 101) was killed by signal 11 (SEGV), core "
                + "dumped while serving; generation 2 (pid 102) starting");
        s.handle(new Event.SignalReceived(Signals.HUP));
        assertThat(last().restartQueued()).isTrue();
        assertThat(last().restart()).as("a crash respawn is not a restart").isNull();
    }

    @Test
    void aFirstGenerationThatKeepsFailingIsNeverReportedReadyAndItsRetryTimeIsShown() {
        Supervisor s = supervisor(Duration.ZERO, null);
        s.start();
        exit(s, 101, 3 << 8);
        assertThat(last().phase()).isEqualTo(Supervisor.Phase.BACKOFF);
        assertThat(last().retryAtNanos()).isEqualTo(clock.get() + SECOND);
        assertThat(notified).last().isEqualTo("STATUS=start failed: generation 1 (pid 101) exited with status 3 "
                + "before it counted as started; retrying");
        assertThat(notified).noneMatch(m -> m.contains("READY=1"));
    }

    @Test
    void theHeartbeatIsDueEveryIntervalFromTheStart() {
        heartbeat = Duration.ofSeconds(10);
        Supervisor s = started();
        assertThat(heartbeats).isEqualTo(1);
        advance(s, 8.9);
        assertThat(heartbeats).isEqualTo(1);
        advance(s, 0.1);
        assertThat(heartbeats).isEqualTo(2);
        advance(s, 10);
        assertThat(heartbeats).isEqualTo(3);
    }

    @Test
    void aStopWhereEveryGenerationLeftOnItsOwnIsClean() {
        killAfter = Duration.ofSeconds(5);
        Supervisor s = started();
        s.handle(new Event.SignalReceived(Signals.TERM));
        exit(s, 101, 15);
        assertThat(s.phase()).isEqualTo(Supervisor.Phase.DONE);
        assertThat(s.ending()).isEqualTo(Supervisor.Ending.STOPPED);
    }

    @Test
    void aStopThatHadToKillSaysSo() {
        killAfter = Duration.ofSeconds(5);
        Supervisor s = started();
        s.handle(new Event.SignalReceived(Signals.TERM));
        advance(s, 5);
        exit(s, 101, 9);
        assertThat(s.phase()).isEqualTo(Supervisor.Phase.DONE);
        assertThat(s.ending()).isEqualTo(Supervisor.Ending.STOPPED_WITH_KILL);
    }

    @Test
    void anOldGenerationKilledAfterARestartIsNotAKillAtStop() {
        killAfter = Duration.ofSeconds(5);
        Supervisor s = started();
        s.handle(new Event.SignalReceived(Signals.HUP));
        advance(s, 1);
        advance(s, 5);
        exit(s, 101, 9);
        s.handle(new Event.SignalReceived(Signals.TERM));
        exit(s, 102, 15);
        assertThat(s.ending()).isEqualTo(Supervisor.Ending.STOPPED);
    }

    @Test
    void everySigchldReapsWhatIsNotAGenerationToo() {
        Supervisor s = supervisor(Duration.ZERO, null);
        s.start();
        exit(s, 101, 256);
        advance(s, 1);
        assertThat(workers.othersReaped).as("also while no generation runs (backing off)").isEqualTo(1);
        s.handle(new Event.ChildStateChanged());
        assertThat(workers.othersReaped).isEqualTo(2);
    }

    @Test
    void aGenerationWithAJvmThatRunsTheAgentIsAwaitedUntilItsReady() {
        Supervisor s = started();
        s.handle(new Event.SignalReceived(Signals.HUP)); // e.g. sh -c 'exec java ...': not known to be Java
        workers.agents.put(102L, "JVM 4242");
        advance(s, 5);
        assertThat(workers.signals).as("the old generation keeps serving").isEmpty();
        assertThat(status).containsExactly(Map.entry(1, 101L));
        s.handle(new Event.Ready(102));
        s.tick();
        assertThat(status).containsExactly(Map.entry(1, 101L), Map.entry(2, 102L));
        assertThat(workers.signals).containsExactly("101:15");
        assertThat(workers.serving).containsExactly(101L, 102L);
    }

    @Test
    void aJvmWithTheAgentThatExitsWithoutReadyStopsTheWait() {
        Supervisor s = started();
        s.handle(new Event.SignalReceived(Signals.HUP)); // sh -c 'java -jar migrate.jar && exec ./server'
        workers.agents.put(102L, "JVM 4242");
        advance(s, 1);
        advance(s, 1);
        assertThat(status).containsExactly(Map.entry(1, 101L));
        assertThat(s.nextDeadlineForTest()).as("looked at again within a second")
                .isEqualTo(clock.get() + Supervisor.AGENT_RECHECK.toNanos());
        workers.agents.remove(102L);
        advance(s, 1);
        assertThat(status).containsExactly(Map.entry(1, 101L), Map.entry(2, 102L));
    }

    @Test
    void aJvmWithTheAgentThatNeverReportsReadyCountsAsStartedAfterTheTimeoutWithAWarning() {
        Supervisor s = started();
        s.handle(new Event.SignalReceived(Signals.HUP));
        workers.agents.put(102L, "JVM 4242");
        for (int i = 0; i < 59; i++) {
            advance(s, 1);
        }
        assertThat(status).containsExactly(Map.entry(1, 101L));
        advance(s, 1);
        assertThat(workers.signals).as("not TERMed: it may be a helper beside a server that serves")
                .containsExactly("101:15");
        assertThat(log).contains("start_server: warning: new worker 102: JVM 4242 runs the agent but did not report"
                + " ready within 60 secs; counting the worker as started after --interval, as the original would");
    }

    @Test
    void aGenerationKnownToBeJavaIsNotPromotedWhenItsAgentIsNotYetRunning() {
        workers.notifying = true;
        Supervisor s = supervisor(Duration.ZERO, null);
        s.start();
        advance(s, 30);
        assertThat(status).isEmpty();
    }

    @Test
    void aGenerationWhoseQueueOnlyGrowsIsDiagnosedOnceAndTheLooksEndAfterTheWindow() {
        Supervisor s = started();
        for (int waiting = 1; waiting <= 4; waiting++) {
            workers.queued.put("8080", waiting);
            advance(s, 1);
        }
        assertThat(log).noneMatch(l -> l.contains("nobody accepts"));
        workers.queued.put("8080", 5);
        advance(s, 1);
        assertThat(log).filteredOn(l -> l.contains("nobody accepts")).singleElement().asString()
                .startsWith("start_server: warning: nobody accepts on 0.0.0.0:8080: 5 connection(s) waiting");
        for (int i = 0; i < 30; i++) {
            workers.queued.put("8080", 6 + i);
            advance(s, 1);
        }
        assertThat(log).as("once per generation").filteredOn(l -> l.contains("nobody accepts")).hasSize(1);
        assertThat(s.nextDeadlineForTest()).as("an idle start_server sleeps again").isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aServingGenerationIsLookedAtOnlyForAWhileAfterItStarted() {
        Supervisor s = started();
        assertThat(s.nextDeadlineForTest()).isEqualTo(clock.get() + SECOND);
        advance(s, 31);
        advance(s, 1);
        assertThat(s.nextDeadlineForTest()).isEqualTo(Long.MAX_VALUE);
        s.handle(new Event.SignalReceived(Signals.HUP));
        advance(s, 1);
        assertThat(s.nextDeadlineForTest()).as("the next generation is looked at again").isEqualTo(clock.get() + SECOND);
    }

    @Test
    void theLikelyCauseOfAFailedStartIsLoggedOncePerRunOfFailures() {
        Supervisor s = started();
        s.handle(new Event.SignalReceived(Signals.HUP));
        workers.failureCauses.put(102L, "died after its JVM 9 bound 0.0.0.0:9092: \"Address already in use\"");
        exit(s, 102, 256);
        advance(s, 1);
        workers.failureCauses.put(103L, "died after its JVM 10 bound 0.0.0.0:9092: \"Address already in use\"");
        exit(s, 103, 256);
        assertThat(log).filteredOn(l -> l.contains("Address already in use")).containsExactly(
                "start_server: warning: worker 102 died after its JVM 9 bound 0.0.0.0:9092: \"Address already in use\"");
    }

    /** Pids are 100 + generation; exits are scripted by the test. */
    private static final class FakeWorkers implements Workers {
        final List<Integer> spawned = new ArrayList<>();
        final List<String> signals = new ArrayList<>();
        final Map<Long, Integer> exited = new HashMap<>();
        final Set<Long> reaped = new HashSet<>();
        final List<Boolean> afterFirstWakeup = new ArrayList<>();
        final Map<Long, String> agents = new HashMap<>();
        final Map<String, Integer> queued = new java.util.LinkedHashMap<>();
        final Map<Long, String> failureCauses = new HashMap<>();
        final List<Long> serving = new ArrayList<>();
        final Map<Long, Snapshot.ClassCacheUse> cacheUse = new HashMap<>();
        boolean notifying;
        int othersReaped;

        @Override
        public void reapOthers() {
            othersReaped++;
        }

        @Override
        public long spawn(int generation, boolean afterFirstWakeup) {
            spawned.add(generation);
            this.afterFirstWakeup.add(afterFirstWakeup);
            return 100 + generation;
        }

        @Override
        public void signal(long pid, int signal) {
            signals.add(pid + ":" + signal);
        }

        @Override
        public OptionalInt reap(long pid) {
            if (exited.containsKey(pid) && reaped.add(pid)) {
                return OptionalInt.of(exited.get(pid));
            }
            return OptionalInt.empty();
        }

        @Override
        public boolean expectsReadiness(long pid) {
            return notifying;
        }

        @Override
        public java.util.Optional<String> agentRunning(long pid) {
            return java.util.Optional.ofNullable(agents.get(pid));
        }

        @Override
        public void serving(long pid) {
            serving.add(pid);
        }

        @Override
        public Map<String, Integer> acceptQueues() {
            return Map.copyOf(queued);
        }

        @Override
        public java.util.Optional<String> failureCause(long pid) {
            return java.util.Optional.ofNullable(failureCauses.get(pid));
        }

        @Override
        public Snapshot.ClassCacheUse classCache(long pid) {
            return cacheUse.getOrDefault(pid, Snapshot.ClassCacheUse.NONE);
        }
    }
}
