package io.github.hotdeploy.bench.restart;

import io.github.hotdeploy.testapps.launch.Launch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Ours: the app under start_server, restarted with SIGHUP. */
final class StarterHandover implements Handover {

    private final Path startServer;
    private final List<String> appCommand;
    private final Map<String, String> appEnv;
    private final boolean tls;
    private final int port;
    private final Path log;
    private final long timeoutMs;
    private final List<String> extraOptions;
    private final BlockingQueue<LauncherEvent> events = new LinkedBlockingQueue<>();
    private Child launcher;
    private long currentPid = -1;

    StarterHandover(Path startServer, Launch app, int port, Path log, long timeoutMs, List<String> extraOptions) {
        this.startServer = startServer;
        this.appCommand = app.command();
        this.appEnv = app.env();
        this.tls = app.tls();
        this.port = port;
        this.log = log;
        this.timeoutMs = timeoutMs;
        this.extraOptions = extraOptions;
    }

    @Override
    public String name() {
        return "start_server";
    }

    long launcherPid() {
        return launcher.pid();
    }

    long currentPid() {
        return currentPid;
    }

    @Override
    public boolean start() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(startServer.toString(), "--port=127.0.0.1:" + port));
        cmd.addAll(extraOptions);
        cmd.add("--");
        cmd.addAll(appCommand);
        // start_server passes its environment on to every generation (CATALINA_BASE and the like).
        launcher = Child.start("start_server", cmd, appEnv, log, (ms, line) -> {
            LauncherEvent e = LauncherEvent.parse(line, ms);
            if (e != null) {
                events.add(e);
            }
        });
        long ok = Probe.awaitOk(port, timeoutMs, launcher, tls);
        LauncherEvent e;
        while ((e = events.poll()) != null) {
            if (e.kind() == LauncherEvent.Kind.WORKER_STARTING) {
                currentPid = e.pids().get(0);
            }
        }
        return ok >= 0;
    }

    @Override
    public Restart restart(int number, Marks marks) throws IOException, InterruptedException {
        events.clear();
        long signalMs = System.currentTimeMillis();
        marks.mark(signalMs, "SIGHUP " + number);
        Child.signal("HUP", launcher.pid());
        return awaitRestart(number, signalMs, null);
    }

    /**
     * Follows start_server's log until every old generation named in "new worker is now running"
     * has died. {@code onTerm} runs when the old ones get their signal (the in-flight check wants
     * that moment).
     */
    Restart awaitRestart(int number, long signalMs, Runnable onTerm) throws InterruptedException {
        long deadline = signalMs + timeoutMs;
        long readyMs = -1;
        long termMs = -1;
        long goneMs = -1;
        long newPid = -1;
        long oldPid = currentPid;
        Set<Long> waitingFor = new HashSet<>();
        List<DrainMeter> meters = new ArrayList<>();
        StringBuilder problems = new StringBuilder();
        while (true) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                problems.append(readyMs < 0 ? "new generation not running" : "old generation not gone")
                        .append(" after ").append(timeoutMs / 1000).append(" s; ");
                break;
            }
            LauncherEvent e = events.poll(left, TimeUnit.MILLISECONDS);
            if (e == null) {
                continue;
            }
            switch (e.kind()) {
                case WORKER_STARTING -> newPid = e.pids().get(0);
                case NEW_WORKER_RUNNING -> {
                    readyMs = e.epochMs();
                    waitingFor.addAll(e.pids());
                    if (!e.pids().isEmpty()) {
                        oldPid = e.pids().get(0);
                    }
                    // No --kill-old-delay here: the signal follows this line at once.
                    termMs = e.epochMs();
                    for (long pid : e.pids()) {
                        meters.add(DrainMeter.start(pid, e.epochMs()));
                    }
                    if (onTerm != null) {
                        onTerm.run();
                    }
                }
                case START_FAILED -> problems.append("a new generation failed to start; ");
                case WORKER_DIED_UNEXPECTEDLY -> problems.append("the running generation died; ");
                case DRAIN_DONE -> {
                    for (DrainMeter m : meters) {
                        if (m.pid() == e.pids().get(0)) {
                            m.drainDone(e.epochMs());
                        }
                    }
                }
                case OLD_WORKER_DIED -> {
                    waitingFor.remove(e.pids().get(0));
                    goneMs = e.epochMs();
                }
                default -> {
                    // HUP_RECEIVED and KILLING_OLD carry nothing the restart needs
                }
            }
            if (readyMs >= 0 && waitingFor.isEmpty()) {
                break;
            }
        }
        double cpu = -1;
        DrainMeter.Cost drain = DrainMeter.Cost.UNKNOWN;
        for (DrainMeter m : meters) {
            DrainMeter.Cost c = m.cost();
            if (c.processMs() >= 0) {
                cpu = Math.max(cpu, 0) + c.processMs();
            }
            if (m.pid() == oldPid) {
                drain = c;
            }
        }
        if (readyMs >= 0) {
            currentPid = newPid;
        }
        return new Restart(number, signalMs, readyMs, termMs, waitingFor.isEmpty() ? goneMs : -1, oldPid, newPid,
                cpu, goneMs >= 0 && termMs >= 0 ? goneMs - termMs : -1, problems.toString().strip(), drain);
    }

    @Override
    public void close() {
        if (launcher != null) {
            launcher.stop(30_000);
            try {
                launcher.awaitOutput(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
