package io.github.hotdeploy.launcher.supervision;

import io.github.hotdeploy.launcher.os.Signals;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The superdaemon's life cycle, as a small state machine driven by one loop (see
 * docs/launcher.md for the state diagram and its mapping to the original's behaviour).
 *
 * <pre>
 *            spawn           alive after --interval, or READY=1 if expected (Promotion)
 *   (start) ------&gt; STARTING ------------------------------------------------&gt; RUNNING
 *                     |  ^ dies                                      HUP / auto |  |
 *                     v  | back-off elapsed        STARTING (restart) &lt;---------+  | current dies:
 *                   BACKOFF                                                       |  spawn at once
 *   TERM/INT in any state: signal every generation -&gt; STOPPING -&gt; (all reaped) exit
 * </pre>
 *
 * Invariants: only this loop touches the fields below; a pid is signalled only while it is in
 * {@code pending}, {@code current} or {@code old}, i.e. not yet reaped, so it cannot have been
 * recycled; HUPs that arrive while a restart is under way collapse into one more restart.
 *
 * <p>After every step the loop publishes a {@link Snapshot} to its {@link Observer} when anything
 * changed: the state file and systemd's notifications are made from it, never from log lines.
 */
public final class Supervisor {

    /** The cap of the exponential back-off between failed starts. */
    static final Duration MAX_RETRY_BACKOFF = Duration.ofSeconds(30);

    /** A running generation that dies sooner than this after its spawn counts as a crash loop. */
    static final Duration CRASH_WINDOW = Duration.ofSeconds(10);

    /** How often a generation waited for because of a JVM with the agent is looked at again. */
    static final Duration AGENT_RECHECK = Duration.ofSeconds(1);

    /** A crash loop's cause is said once, then again this often while it lasts. */
    static final Duration CAUSE_REPEAT = Duration.ofMinutes(10);

    /** How often the serving generation's listeners are looked at after a start. */
    static final Duration LOOK_EVERY = Duration.ofSeconds(1);

    /** Where the life cycle stands. */
    public enum Phase { STARTING, BACKOFF, RUNNING, STOPPING, DONE }

    /** How a run ended, for start_server's exit status. */
    public enum Ending {
        /** Every generation exited after it was signalled. */
        STOPPED,
        /** At least one generation had to be sent KILL (--force-kill-after) during the stop. */
        STOPPED_WITH_KILL
    }

    /** A spawned process and the generation number it was given. */
    record Generation(int number, long pid, long spawnedAtNanos) {
    }

    private final SupervisorSettings settings;
    private final Workers workers;
    private final Consumer<String> log;
    private final Consumer<SortedMap<Integer, Long>> statusWriter;
    private final Observer observer;
    /** How often to tell the observer the loop is alive (systemd's watchdog); null: never. */
    private final Duration heartbeat;
    private final LogControl logControl;
    private final LongSupplier clock;
    private final LiveTimers timers;
    private final BlockingQueue<Event> events;

    private Phase phase = Phase.STARTING;
    private int lastGeneration;
    private Generation pending;
    private boolean pendingIsRestart;
    /** The pending generation's program is known to start a JVM with the agent: READY=1 is a must. */
    private boolean pendingMustNotify;
    /** The pending generation said READY=1. */
    private boolean pendingReady;
    /** Waiting for READY=1 because a JVM of the pending generation runs the agent: when to look again. */
    private long agentRecheckAt = Long.MAX_VALUE;
    private boolean readinessTermSent;
    private long readinessKillAt = Long.MAX_VALUE;
    private Generation current;
    private final Map<Long, Integer> old = new LinkedHashMap<>();
    private final Map<Long, Integer> stopping = new LinkedHashMap<>();
    private boolean hupPending;
    /** The first generation has started: later spawns see the envdir re-read (the original's loop). */
    private boolean initialStartDone;
    /** TERM or INT that arrived during --kill-old-delay, acted on once the delay is over (the original's way). */
    private int deferredStop;
    private int consecutiveFailures;
    /** Running generations in a row that died within {@link #CRASH_WINDOW} of their spawn. */
    private int crashStreak;
    private long retryAt = Long.MAX_VALUE;
    private final List<KillOld> killOld = new ArrayList<>();
    private long lastRestartNanos;
    /** Signalled generations (old ones, or all when stopping) not yet reaped: pid to when to KILL them. */
    private final Map<Long, Long> killAt = new LinkedHashMap<>();
    /** Looks at the serving generation's listeners since it started ({@link ListenerDiagnosis}). */
    private final List<ListenerDiagnosis.Look> looks = new ArrayList<>();
    private final java.util.Set<String> diagnosed = new java.util.HashSet<>();
    private long nextLookAt = Long.MAX_VALUE;
    /** Failure causes logged (pids left out) and when: one is repeated only after {@link #CAUSE_REPEAT}. */
    private final Map<String, Long> failureCauses = new java.util.HashMap<>();

    // What the snapshot shows besides the above.
    /** When each live generation took its current role. */
    private final Map<Long, Long> since = new HashMap<>();
    /** Generations that must say READY=1, and when they did. */
    private final Set<Long> awaited = new HashSet<>();
    private final Map<Long, Long> readyAt = new HashMap<>();
    /** Old generations that have been sent --signal-on-hup. */
    private final Set<Long> signalled = new HashSet<>();
    /** Signalled generations whose application has shut down: only their class cache is being written. */
    private final Set<Long> exiting = new HashSet<>();
    private Snapshot.Restart restart;
    private int restartSequence;
    private Snapshot.Failure lastFailure;
    /** The pending generation's failure is already recorded (it missed its readiness deadline). */
    private boolean pendingFailed;
    private boolean killedWhileStopping;
    private long nextHeartbeat = Long.MAX_VALUE;
    private Snapshot published;

    /** Old generations to signal once --kill-old-delay has passed. */
    private record KillOld(long atNanos, List<Long> pids) {
    }

    /**
     * @param events the queue signal handlers already post to (they are installed before the
     *     sockets are bound, so that no signal can kill start_server without cleanup)
     * @param heartbeat how often to tell the observer the loop is alive (systemd's watchdog); null: never
     */
    public Supervisor(SupervisorSettings settings, Workers workers, BlockingQueue<Event> events,
                      Consumer<String> log, Consumer<SortedMap<Integer, Long>> statusWriter, Observer observer,
                      Duration heartbeat, LogControl logControl, LongSupplier clock, LiveTimers timers) {
        this.settings = settings;
        this.timers = timers;
        this.events = events;
        this.workers = workers;
        this.log = log;
        this.statusWriter = statusWriter;
        this.observer = observer;
        this.heartbeat = heartbeat;
        this.logControl = logControl;
        this.clock = clock;
    }

    /** Runs until every generation has exited after TERM or INT. */
    public Ending run() throws InterruptedException {
        try {
            loop();
        } catch (RuntimeException | Error e) {
            // A bug must not leave servers running unsupervised with no one to stop them.
            log.accept("start_server: internal error: " + e + "; sending TERM to all workers");
            abandonAll();
            throw e;
        }
        return ending();
    }

    Ending ending() {
        return killedWhileStopping ? Ending.STOPPED_WITH_KILL : Ending.STOPPED;
    }

    private void abandonAll() {
        List<Long> pids = new ArrayList<>(old.keySet());
        pids.addAll(stopping.keySet());
        if (current != null) {
            pids.add(current.pid());
        }
        if (pending != null) {
            pids.add(pending.pid());
        }
        for (Long pid : pids) {
            workers.signal(pid, Signals.TERM);
        }
    }

    private void loop() throws InterruptedException {
        start();
        while (phase != Phase.DONE) {
            // Block without a timeout when nothing is scheduled: an idle start_server uses no CPU.
            long deadline = nextDeadline();
            Event event;
            if (deadline == Long.MAX_VALUE) {
                event = events.take();
            } else {
                long wait = deadline - clock.getAsLong();
                event = wait <= 0 ? events.poll() : events.poll(wait, TimeUnit.NANOSECONDS);
            }
            if (event != null) {
                handle(event);
                for (Event more = events.poll(); more != null && phase != Phase.DONE; more = events.poll()) {
                    handle(more);
                }
            }
            if (phase != Phase.DONE) {
                fireDueTimers();
            }
        }
    }

    /** Spawns the first generation (the loop's first step; tests drive the steps one by one). */
    void start() {
        if (heartbeat != null) {
            observer.heartbeat();
            nextHeartbeat = clock.getAsLong() + heartbeat.toNanos();
        }
        spawn(false);
        publish();
    }

    /** Acts on every timer that is due (the loop's step after each wake-up). */
    void tick() {
        fireDueTimers();
    }

    // ---- events -------------------------------------------------------------------------------

    void handle(Event event) {
        dispatch(event);
        publish();
    }

    private void dispatch(Event event) {
        if (event instanceof Event.ChildStateChanged) {
            childStateChanged();
        } else if (event instanceof Event.Ready ready) {
            if (pending != null && pending.pid() == ready.pid()) {
                if (readinessTermSent) {
                    // Told to stop for being too slow: a READY now must not make it the serving
                    // generation (and TERM the old one) while it is going away.
                    log.accept("new worker " + ready.pid() + " reported ready after it was sent TERM; ignored");
                } else {
                    pendingReady = true;
                    long now = clock.getAsLong();
                    readyAt.putIfAbsent(ready.pid(), now);
                    // In the same step: the snapshot published next already shows it serving.
                    promoteIfDue(now);
                }
            }
        } else if (event instanceof Event.SignalReceived s) {
            onSignal(s.signal());
        } else if (event instanceof Event.ApplicationDown down) {
            applicationDown(down.pid());
        }
    }

    /**
     * Only a generation that was signalled to go can be one whose application is down; it stays
     * one of the generations (and in the status file) until it is reaped, as in the original, but
     * a restart no longer waits for it.
     */
    private void applicationDown(long pid) {
        boolean goingAway = (old.containsKey(pid) && signalled.contains(pid)) || stopping.containsKey(pid);
        if (goingAway && exiting.add(pid)) {
            since.put(pid, clock.getAsLong());
        }
    }

    private void onSignal(int signal) {
        switch (signal) {
            case Signals.HUP -> {
                if (phase == Phase.STOPPING) {
                    return;
                }
                if (restartUnderWay()) {
                    hupPending = true; // collapses with any other HUP that comes before the restart ends
                } else {
                    log.accept("received HUP, spawning a new worker");
                    beginRestart(Snapshot.Trigger.HUP);
                    spawn(true);
                }
            }
            case Signals.TERM, Signals.INT -> stopAll(signal);
            case Signals.USR1 -> log.accept("received USR1, " + logControl.reopen());
            case Signals.CHLD -> childStateChanged();
            default -> log.accept("received SIG" + Signals.name(signal) + ", ignoring");
        }
    }

    private boolean restartUnderWay() {
        return phase == Phase.STARTING || phase == Phase.BACKOFF || !killOld.isEmpty();
    }

    private void childStateChanged() {
        reapAll();
        logControl.reapCommand().ifPresent(log);
        // Last: as PID 1 this reaps every other exited child, and must not take a status that the
        // two above wait for by pid. A generation that exits just now is collected for the next
        // reapAll, which its own SIGCHLD brings.
        workers.reapOthers();
    }

    private void reapAll() {
        if (pending != null) {
            OptionalInt status = workers.reap(pending.pid());
            if (status.isPresent()) {
                onPendingDied(status.getAsInt());
            }
        }
        if (current != null) {
            OptionalInt status = workers.reap(current.pid());
            if (status.isPresent()) {
                Generation died = current;
                current = null;
                forget(died.pid());
                nextLookAt = Long.MAX_VALUE;
                if (phase == Phase.STOPPING) {
                    log.accept("worker " + died.pid() + " died, status:" + status.getAsInt());
                } else {
                    log.accept("worker " + died.pid() + " died unexpectedly with status:" + status.getAsInt()
                            + ", restarting");
                    lastFailure = new Snapshot.Failure(died.number(), died.pid(), Snapshot.FailureKind.DIED_SERVING,
                            WaitStatus.describe(status.getAsInt()), clock.getAsLong());
                    boolean quick = clock.getAsLong() - died.spawnedAtNanos() < CRASH_WINDOW.toNanos();
                    crashStreak = quick ? crashStreak + 1 : 0;
                    if (quick) {
                        explainFailure(died.pid());
                    }
                    if (phase == Phase.RUNNING && crashStreak <= 1) {
                        spawn(false); // at once, as the original
                    } else if (phase == Phase.RUNNING) {
                        // A crash loop: back off as for failed starts instead of respawning at full speed.
                        consecutiveFailures = crashStreak - 2; // scheduleRetry counts this one
                        scheduleRetry(died.spawnedAtNanos());
                    }
                    // Otherwise a new generation is already on its way and will take over.
                }
            }
        }
        for (Long pid : List.copyOf(old.keySet())) {
            OptionalInt status = workers.reap(pid);
            if (status.isPresent()) {
                old.remove(pid);
                killAt.remove(pid);
                forget(pid);
                log.accept("old worker " + pid + " died, status:" + status.getAsInt());
                writeStatus();
            }
        }
        for (Long pid : List.copyOf(stopping.keySet())) {
            OptionalInt status = workers.reap(pid);
            if (status.isPresent()) {
                stopping.remove(pid);
                killAt.remove(pid);
                forget(pid);
                log.accept("worker " + pid + " died, status:" + status.getAsInt());
                writeStatus();
            }
        }
        if (phase == Phase.STOPPING && stopping.isEmpty()) {
            log.accept("exiting");
            phase = Phase.DONE;
        }
    }

    private void onPendingDied(int status) {
        Generation failed = pending;
        pending = null;
        workers.settled(failed.pid());
        forget(failed.pid());
        log.accept("new worker " + failed.pid() + " seems to have failed to start, exit status:" + status);
        if (!pendingFailed) {
            failedAttempt(failed.number(), failed.pid(), Snapshot.FailureKind.DIED_STARTING, WaitStatus.describe(status));
        }
        explainFailure(failed.pid());
        scheduleRetry(failed.spawnedAtNanos());
    }

    /** A start attempt failed: remembered, and counted against the restart it belongs to. */
    private void failedAttempt(int generation, long pid, Snapshot.FailureKind kind, String reason) {
        long now = clock.getAsLong();
        lastFailure = new Snapshot.Failure(generation, pid, kind, reason, now);
        if (pendingIsRestart && restart != null && restart.outcome() != Snapshot.Outcome.SUCCEEDED) {
            restart = new Snapshot.Restart(restart.sequence(), restart.trigger(), restart.requestedAtNanos(),
                    Snapshot.Outcome.FAILED, restart.failedAttempts() + 1, generation, now);
        }
    }

    private void beginRestart(Snapshot.Trigger trigger) {
        restart = new Snapshot.Restart(++restartSequence, trigger, clock.getAsLong(), Snapshot.Outcome.IN_PROGRESS, 0,
                lastGeneration + 1, 0);
    }

    /** A reaped process: nothing about it is shown any more. */
    private void forget(long pid) {
        since.remove(pid);
        awaited.remove(pid);
        readyAt.remove(pid);
        signalled.remove(pid);
        exiting.remove(pid);
    }

    /**
     * The likely cause of a failed start, once per cause in a run of failures: the program's own
     * output says what failed, this says why when start_server can tell (a port another process
     * holds), so that a crash loop does not go on for ever without a word.
     */
    private void explainFailure(long pid) {
        workers.failureCause(pid).ifPresent(cause -> {
            // The same cause in the next failure names other pids: those do not make it new.
            if (firstTimeInAWhile(cause.replaceAll("(JVM|pid) \\d+", "$1"))) {
                log.accept("start_server: warning: worker " + pid + " " + cause);
            }
        });
    }

    private boolean firstTimeInAWhile(String cause) {
        long now = clock.getAsLong();
        Long last = failureCauses.get(cause);
        if (last != null && now - last < CAUSE_REPEAT.toNanos()) {
            return false;
        }
        failureCauses.put(cause, now);
        return true;
    }

    // ---- spawning and promotion -----------------------------------------------------------------

    private void spawn(boolean restart) {
        lastGeneration++;
        pendingIsRestart = restart;
        try {
            long pid = workers.spawn(lastGeneration, initialStartDone);
            pending = new Generation(lastGeneration, pid, clock.getAsLong());
            pendingMustNotify = workers.expectsReadiness(pid);
            pendingReady = false;
            agentRecheckAt = Long.MAX_VALUE;
            if (pendingMustNotify) {
                awaited.add(pid);
            }
            since.put(pid, pending.spawnedAtNanos());
            pendingFailed = false;
            readinessTermSent = false;
            readinessKillAt = Long.MAX_VALUE;
            phase = Phase.STARTING;
            log.accept("starting new worker " + pid);
        } catch (Workers.WorkerSpawnException e) {
            log.accept(e.getMessage());
            pending = null;
            failedAttempt(lastGeneration, 0, Snapshot.FailureKind.NOT_SPAWNED, e.getMessage());
            scheduleRetry(clock.getAsLong());
        }
    }

    private void scheduleRetry(long spawnedAt) {
        consecutiveFailures++;
        // The original retries every --interval for ever; we also back off exponentially, capped.
        long backoff = Math.min(MAX_RETRY_BACKOFF.toNanos(),
                Duration.ofMillis(250).toNanos() << Math.min(consecutiveFailures - 1, 20));
        retryAt = Math.max(spawnedAt + settings.interval().toNanos(), clock.getAsLong() + backoff);
        phase = Phase.BACKOFF;
    }

    /** @param now the time of the step that found it started: its READY=1, or the timer */
    private void promote(long now) {
        Generation started = pending;
        pending = null;
        workers.settled(started.pid());
        consecutiveFailures = 0;
        phase = Phase.RUNNING;
        lastRestartNanos = now;
        boolean restart = pendingIsRestart;
        pendingIsRestart = false;
        if (current != null) {
            // Only a restart spawns while a current generation lives; it becomes old now.
            old.put(current.pid(), current.number());
            since.put(current.pid(), lastRestartNanos);
        }
        current = started;
        since.put(started.pid(), lastRestartNanos);
        initialStartDone = true;
        if (restart && this.restart != null) {
            this.restart = new Snapshot.Restart(this.restart.sequence(), this.restart.trigger(),
                    this.restart.requestedAtNanos(), Snapshot.Outcome.SUCCEEDED, this.restart.failedAttempts(),
                    started.number(), lastRestartNanos);
        }
        agentRecheckAt = Long.MAX_VALUE;
        workers.serving(started.pid());
        looks.clear();
        diagnosed.clear();
        nextLookAt = lastRestartNanos + LOOK_EVERY.toNanos();
        writeStatus();
        if (restart) {
            List<Long> pids = sortedAsStrings(old.keySet());
            log.accept("new worker is now running, sending " + settings.signalOnHup().name() + " to old workers:"
                    + (pids.isEmpty() ? "none" : join(pids)));
            Duration killOldDelay = timers.killOldDelay();
            long delay = killOldDelay.toNanos();
            if (delay > 0) {
                log.accept("sleeping " + killOldDelay.toSeconds() + " secs before killing old workers");
                killOld.add(new KillOld(clock.getAsLong() + delay, pids));
            } else {
                killOldNow(pids);
            }
        }
        afterRestartFinished();
    }

    /** When the pending generation counts as started ({@link Promotion}), or {@link Promotion#NEVER}. */
    private long promotionDue() {
        long pid = pending.pid();
        return Promotion.dueAt(pending.spawnedAtNanos(), awaited.contains(pid),
                pendingReady ? readyAt.getOrDefault(pid, pending.spawnedAtNanos()) : Promotion.NEVER,
                settings.interval(), settings.readyInterval());
    }

    private boolean promoteIfDue(long now) {
        if (phase == Phase.STARTING && pending != null && pendingReady && now >= promotionDue()) {
            promote(now);
            return true;
        }
        return false;
    }

    private void killOldNow(List<Long> pids) {
        log.accept("killing old workers");
        for (Long pid : pids) {
            if (old.containsKey(pid)) {
                workers.signal(pid, settings.signalOnHup().number());
                signalled.add(pid);
                since.put(pid, clock.getAsLong());
                scheduleKill(pid);
            }
        }
    }

    private void scheduleKill(long pid) {
        if (settings.killAfter() != null) {
            killAt.putIfAbsent(pid, clock.getAsLong() + settings.killAfter().toNanos());
        }
    }

    private void afterRestartFinished() {
        if (hupPending && !restartUnderWay() && phase == Phase.RUNNING) {
            hupPending = false;
            log.accept("received HUP, spawning a new worker");
            beginRestart(Snapshot.Trigger.HUP);
            spawn(true);
        }
    }

    // ---- stopping -------------------------------------------------------------------------------

    private void stopAll(int signal) {
        if (phase == Phase.STOPPING || phase == Phase.DONE) {
            return;
        }
        if (!killOld.isEmpty()) {
            // The original sleeps --kill-old-delay out whatever arrives, then signals the old
            // generations, and only then acts on TERM.
            deferredStop = signal;
            return;
        }
        String received = Signals.name(signal);
        int termSignal = signal == Signals.TERM ? settings.signalOnTerm().number() : Signals.TERM;
        String termName = signal == Signals.TERM ? settings.signalOnTerm().name() : "TERM";
        if (current != null) {
            stopping.put(current.pid(), current.number());
            current = null;
        }
        if (pending != null) {
            stopping.put(pending.pid(), pending.number());
            pending = null;
        }
        stopping.putAll(old);
        old.clear();
        killOld.clear();
        retryAt = Long.MAX_VALUE;
        nextLookAt = Long.MAX_VALUE;
        phase = Phase.STOPPING;
        workers.stopping();
        List<Long> pids = sortedAsStrings(stopping.keySet());
        log.accept("received " + received + ", sending " + termName + " to all workers:" + join(pids));
        long now = clock.getAsLong();
        for (Long pid : pids) {
            workers.signal(pid, termSignal);
            since.put(pid, now);
            scheduleKill(pid);
        }
        reapAll();
    }

    // ---- timers ---------------------------------------------------------------------------------

    private long nextDeadline() {
        long next = Long.MAX_VALUE;
        if (phase == Phase.STARTING && pending != null) {
            // Until READY=1 arrives (when expected), the interval alone cannot promote anything.
            if (readinessTermSent) {
                next = readinessKillAt;
            } else if (pendingReady) {
                next = promotionDue();
            } else if (pendingMustNotify) {
                next = pending.spawnedAtNanos() + settings.readinessTimeout().toNanos();
            } else {
                next = pending.spawnedAtNanos() + settings.interval().toNanos();
                if (agentRecheckAt != Long.MAX_VALUE) {
                    next = Math.max(next, agentRecheckAt); // READY=1 wakes the loop before that
                }
            }
        }
        if (phase == Phase.BACKOFF) {
            next = Math.min(next, retryAt);
        }
        for (KillOld k : killOld) {
            next = Math.min(next, k.atNanos());
        }
        for (long at : killAt.values()) {
            next = Math.min(next, at);
        }
        long auto = autoRestartDeadline();
        next = Math.min(next, auto);
        return Math.min(Math.min(next, nextHeartbeat), nextLookAt);
    }

    private void fireDueTimers() {
        timers();
        publish();
    }

    private void timers() {
        long now = clock.getAsLong();
        if (now >= nextHeartbeat) {
            observer.heartbeat();
            nextHeartbeat = now + heartbeat.toNanos();
        }
        if (phase == Phase.STARTING && pending != null) {
            boolean timedOut = now - pending.spawnedAtNanos() >= settings.readinessTimeout().toNanos();
            if (pendingReady) {
                promoteIfDue(now);
            } else if (pendingMustNotify) {
                if (timedOut) {
                    readinessTimedOut(now);
                }
            } else if (now - pending.spawnedAtNanos() >= settings.interval().toNanos() && !awaitsAgent(now, timedOut)) {
                promote(now);
            }
        }
        if (phase == Phase.BACKOFF && now >= retryAt) {
            retryAt = Long.MAX_VALUE;
            spawn(pendingIsRestart);
        }
        if (!killOld.isEmpty() && now >= killOld.get(0).atNanos()) {
            KillOld due = killOld.remove(0);
            killOldNow(due.pids());
            if (deferredStop != 0 && killOld.isEmpty()) {
                int signal = deferredStop;
                deferredStop = 0;
                stopAll(signal);
                return;
            }
            afterRestartFinished();
        }
        for (Map.Entry<Long, Long> due : List.copyOf(killAt.entrySet())) {
            if (now >= due.getValue()) {
                killAt.put(due.getKey(), Long.MAX_VALUE); // once
                log.accept((stopping.containsKey(due.getKey()) ? "worker " : "old worker ") + due.getKey()
                        + " still alive " + settings.killAfter().toSeconds() + " secs after it was signalled, sending KILL");
                workers.signal(due.getKey(), Signals.KILL);
                if (stopping.containsKey(due.getKey())) {
                    killedWhileStopping = true;
                }
            }
        }
        if (current != null && now >= nextLookAt) {
            lookAtListeners(now);
        }
        if (now >= autoRestartDeadline()) {
            long seconds = timers.autoRestartInterval().toSeconds();
            log.accept(old.isEmpty() ? "autorestart triggered (interval=" + seconds + ")"
                    : "autorestart triggered (forced, interval=" + seconds + ")");
            beginRestart(Snapshot.Trigger.AUTO_RESTART);
            spawn(true);
        }
    }

    /**
     * For a generation whose program was not known to start a JVM: true while a JVM of it that
     * runs the agent is alive and has not said READY=1 (looked at again every second). When such
     * a JVM has not said it within --wait-ready-timeout, the generation counts as started anyway,
     * as the original would count it, with a warning: it may be a helper that serves nothing.
     */
    private boolean awaitsAgent(long now, boolean timedOut) {
        java.util.Optional<String> agent = workers.agentRunning(pending.pid());
        if (agent.isEmpty()) {
            agentRecheckAt = Long.MAX_VALUE;
            awaited.remove(pending.pid());
            return false;
        }
        if (timedOut) {
            log.accept("start_server: warning: new worker " + pending.pid() + ": " + agent.get()
                    + " runs the agent but did not report ready within " + settings.readinessTimeout().toSeconds()
                    + " secs; counting the worker as started after --interval, as the original would");
            agentRecheckAt = Long.MAX_VALUE;
            return false;
        }
        agentRecheckAt = now + AGENT_RECHECK.toNanos();
        awaited.add(pending.pid());
        return true;
    }

    /** One look a second at the serving generation's listeners for a while after it started. */
    private void lookAtListeners(long now) {
        looks.add(new ListenerDiagnosis.Look(now, workers.acceptQueues()));
        if (looks.size() > ListenerDiagnosis.STUCK_LOOKS) {
            looks.remove(0);
        }
        ListenerDiagnosis.Agents agents = workers.agents(current.pid());
        ListenerDiagnosis.Generation generation = new ListenerDiagnosis.Generation(current.number(), current.pid(),
                lastRestartNanos, agents.liveJvms(), agents.adopted(), agents.ownBinds(), agents.ownJvm(), agents.started());
        for (ListenerDiagnosis.Finding finding : ListenerDiagnosis.findings(looks, generation, now)) {
            if (diagnosed.add(finding.key())) {
                log.accept("start_server: warning: " + finding.message());
            }
        }
        long next = now + LOOK_EVERY.toNanos();
        nextLookAt = next - lastRestartNanos <= ListenerDiagnosis.WINDOW.toNanos() ? next : Long.MAX_VALUE;
    }

    private void readinessTimedOut(long now) {
        if (!readinessTermSent) {
            log.accept("new worker " + pending.pid() + " did not report ready within "
                    + settings.readinessTimeout().toSeconds() + " secs, sending TERM");
            ListenerDiagnosis.whyNotReady(workers.acceptQueues().keySet(), workers.agents(pending.pid()), pending.pid())
                    .filter(why -> firstTimeInAWhile(why.replaceAll("(JVM|pid) \\d+", "$1")))
                    .ifPresent(why -> log.accept("start_server: warning: new worker " + pending.pid() + ": " + why));
            workers.signal(pending.pid(), Signals.TERM);
            readinessTermSent = true;
            failedAttempt(pending.number(), pending.pid(), Snapshot.FailureKind.NOT_READY,
                    "did not report ready within " + settings.readinessTimeout().toSeconds() + " secs");
            pendingFailed = true;
            since.put(pending.pid(), now);
            readinessKillAt = now + Duration.ofSeconds(10).toNanos();
        } else if (now >= readinessKillAt) {
            log.accept("new worker " + pending.pid() + " still alive after TERM, sending KILL");
            workers.signal(pending.pid(), Signals.KILL);
            readinessKillAt = Long.MAX_VALUE;
        }
    }

    private long autoRestartDeadline() {
        if (settings.autoRestartInterval() == null || phase != Phase.RUNNING || restartUnderWay()) {
            return Long.MAX_VALUE;
        }
        long interval = timers.autoRestartInterval().toNanos();
        return lastRestartNanos + (old.isEmpty() ? interval : 2 * interval);
    }

    // ---- what the world sees ---------------------------------------------------------------------

    /** Tells the observer, if anything it can see has changed since it was last told. */
    private void publish() {
        Snapshot now = snapshot();
        if (!now.equals(published)) {
            published = now;
            observer.changed(now);
        }
    }

    Snapshot snapshot() {
        List<Snapshot.Generation> generations = new ArrayList<>();
        if (pending != null) {
            generations.add(view(pending.number(), pending.pid(),
                    readinessTermSent ? Snapshot.Role.ABANDONED : Snapshot.Role.STARTING));
        }
        if (current != null) {
            generations.add(view(current.number(), current.pid(), Snapshot.Role.SERVING));
        }
        old.forEach((pid, number) -> generations.add(view(number, pid, exiting.contains(pid) ? Snapshot.Role.EXITING
                : signalled.contains(pid) ? Snapshot.Role.DRAINING : Snapshot.Role.RETIRING)));
        stopping.forEach((pid, number) -> generations.add(view(number, pid,
                exiting.contains(pid) ? Snapshot.Role.EXITING : Snapshot.Role.DRAINING)));
        generations.sort(Comparator.comparingInt(Snapshot.Generation::number));
        return new Snapshot(phase, lastGeneration, initialStartDone, generations, restart, lastFailure,
                phase == Phase.BACKOFF && retryAt != Long.MAX_VALUE ? retryAt : 0, hupPending);
    }

    private Snapshot.Generation view(int number, long pid, Snapshot.Role role) {
        Snapshot.Readiness readiness = !awaited.contains(pid) ? Snapshot.Readiness.NOT_AWAITED
                : readyAt.containsKey(pid) ? Snapshot.Readiness.REPORTED : Snapshot.Readiness.AWAITED;
        return new Snapshot.Generation(number, pid, role, since.getOrDefault(pid, 0L), readiness,
                readyAt.getOrDefault(pid, 0L), workers.classCache(pid));
    }

    // ---- helpers --------------------------------------------------------------------------------

    private void writeStatus() {
        SortedMap<Integer, Long> generations = new TreeMap<>();
        if (current != null) {
            generations.put(current.number(), current.pid());
        }
        old.forEach((pid, number) -> generations.put(number, pid));
        if (phase == Phase.STOPPING) {
            stopping.forEach((pid, number) -> generations.put(number, pid));
        }
        statusWriter.accept(generations);
    }

    /** The original sorts pids as strings when it lists them; log watchers may rely on the order. */
    private static List<Long> sortedAsStrings(Iterable<Long> pids) {
        List<Long> sorted = new ArrayList<>();
        pids.forEach(sorted::add);
        sorted.sort(Comparator.comparing(String::valueOf));
        return sorted;
    }

    private static String join(List<Long> pids) {
        StringBuilder sb = new StringBuilder();
        for (Long pid : pids) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(pid);
        }
        return sb.toString();
    }

    Phase phase() {
        return phase;
    }

    long nextDeadlineForTest() {
        return nextDeadline();
    }
}
