package io.github.hotdeploy.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotdeploy.testsupport.FreePorts;
import io.github.hotdeploy.testsupport.ProcFs;
import io.github.hotdeploy.testsupport.StartServerRun;
import io.github.hotdeploy.testsupport.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** --restart and --stop, the client modes that act on a running start_server through its pid file. */
class ClientModesIT {
    @RegisterExtension
    final Launcher launcher = new Launcher();

    @TempDir
    Path tmp;

    private final int port = FreePorts.tcp();

    private Path pidFile() {
        return tmp.resolve("start_server.pid");
    }

    private Path statusFile() {
        return tmp.resolve("status");
    }

    private Launcher.Spec server(String... options) {
        List<String> args = new ArrayList<>(List.of("--port=127.0.0.1:" + port, "--pid-file=" + pidFile(), "--status-file=" + statusFile()));
        args.addAll(List.of(options));
        args.add("--");
        args.addAll(Fixtures.pythonServer());
        return launcher.spec().args(args);
    }

    private StartServerRun startAndAwaitFiles(Launcher.Spec spec) {
        StartServerRun server = spec.start();
        server.awaitServing(1);
        Waits.until("pid and status files", () -> FilesIT.read(pidFile()).filter(s -> s.endsWith("\n")).isPresent()
                && FilesIT.read(statusFile()).filter(s -> s.startsWith("1:")).isPresent());
        return server;
    }

    @Test
    void restartReturnsOnceOnlyTheNewGenerationIsLeft() {
        StartServerRun server = startAndAwaitFiles(server("--interval=0"));
        long first = server.awaitWorker(1);

        StartServerRun restart = launcher.run("--restart", "--pid-file=" + pidFile(), "--status-file=" + statusFile());

        assertThat(restart.exitValue()).as(restart.describe()).isZero();
        long second = server.awaitWorker(2);
        assertThat(FilesIT.read(statusFile())).contains("2:" + second + "\n");
        assertThat(ProcFs.alive(first)).isFalse();
        assertThat(Client.awaitAnswer(server, port).generation()).isEqualTo(2);
    }

    @Test
    void restartWaitsUntilTheOldGenerationIsGone() {
        // Old generations drain for a while after TERM: --restart must not return before that.
        StartServerRun server = startAndAwaitFiles(server("--interval=0").env("FIXTURE_TERM_DELAY", "2"));
        long first = server.awaitWorker(1);

        StartServerRun restart = launcher.run("--restart", "--pid-file=" + pidFile(), "--status-file=" + statusFile());

        assertThat(restart.exitValue()).as(restart.describe()).isZero();
        assertThat(ProcFs.alive(first)).as("old generation alive after --restart returned").isFalse();
        assertThat(server.output()).contains("old worker " + first + " died, status:0");
    }

    @Test
    void stopReturnsOnlyAfterTheServerHasExited() {
        // A worker that takes its time to drain keeps start_server alive for a while after TERM.
        StartServerRun server = startAndAwaitFiles(server("--interval=0").env("FIXTURE_TERM_DELAY", "1.5"));
        long worker = server.awaitWorker(1);

        StartServerRun stop = launcher.run("--stop", "--pid-file=" + pidFile());

        assertThat(stop.exitValue()).as(stop.describe()).isZero();
        assertThat(ProcFs.alive(worker)).as("worker still running after --stop returned").isFalse();
        if (launcher.impl() == Impl.OURS) {
            // The original returns when the pid-file lock goes, a moment before its process ends.
            // Exited, as for the worker above: a zombie counts (--stop accepts one too); Process.isAlive
            // stays true until this JVM's reaper thread has collected it, a moment later.
            assertThat(ProcFs.alive(server.pid())).as("start_server still running after --stop returned").isFalse();
        }
        assertThat(server.awaitExit(Duration.ofSeconds(10))).isZero();
        assertThat(pidFile()).doesNotExist();
        assertThat(statusFile()).doesNotExist();
    }

    @Test
    void restartAcceptsAnAbbreviation() {
        // --resta is unique among the original's options (restart), so it must stay so.
        StartServerRun server = startAndAwaitFiles(server("--interval=0"));

        StartServerRun restart = launcher.run("--resta", "--pid-file=" + pidFile(), "--status-file=" + statusFile());

        assertThat(restart.exitValue()).as(restart.describe()).isZero();
        server.awaitWorker(2);
    }

    @Test
    void stopStopsADaemonizedServer() throws Exception {
        Path log = tmp.resolve("daemon.log");
        StartServerRun starter = server("--interval=0", "--daemonize", "--log-file=" + log).start();
        assertThat(starter.awaitExit()).isZero();
        long daemon = Long.parseLong(Waits.until("the daemon's pid file",
                () -> FilesIT.read(pidFile()).filter(s -> s.endsWith("\n")), starter::describe).trim());
        launcher.adopt(daemon);
        long worker = Client.awaitAnswer(starter, port).pid();

        StartServerRun stop = launcher.run("--stop", "--pid-file=" + pidFile());

        assertThat(stop.exitValue()).as(stop.describe()).isZero();
        Waits.until("the daemon gone", () -> !ProcFs.alive(daemon));
        assertThat(ProcFs.alive(worker)).isFalse();
        assertThat(pidFile()).doesNotExist();
        assertThat(statusFile()).doesNotExist();
        assertThat(Files.readString(log)).contains("exiting");
    }

    /**
     * Some process holds the pid file's lock (a flock(1) here) and the file names an innocent
     * process: --restart and --stop must see that the named pid does not hold the lock.
     */
    @Test
    void aPidThatDoesNotHoldThePidFilesLockIsNeverSignalled() throws Exception {
        Impl.assumeOurs("the original signals whatever pid the file holds");
        Process innocent = new ProcessBuilder("sleep", "600").start(); // dies on HUP and TERM
        Process holder = new ProcessBuilder("flock", pidFile().toString(), "sleep", "600").start();
        try {
            Files.writeString(statusFile(), "1:" + innocent.pid() + "\n");
            Waits.until("the lock held", () -> FilesIT.flockHeld(pidFile()));
            Files.writeString(pidFile(), innocent.pid() + "\n");

            StartServerRun restart = launcher.run("--restart", "--pid-file=" + pidFile(), "--status-file=" + statusFile());
            StartServerRun stop = launcher.run("--stop", "--pid-file=" + pidFile());

            for (StartServerRun client : List.of(restart, stop)) {
                assertThat(client.exitValue()).as(client.describe()).isEqualTo(2);
                assertThat(client.stderr()).as(client.describe()).hasSize(1);
                assertThat(client.stderr().get(0)).contains(pidFile().toString(), "names pid " + innocent.pid(),
                        "holds its lock", "not signalling");
            }
            assertThat(innocent.isAlive()).as("the innocent process").isTrue();
        } finally {
            innocent.destroyForcibly();
            holder.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            holder.destroyForcibly();
        }
    }

    @Test
    void restartWithoutAPidFile() {
        StartServerRun restart = launcher.run("--restart", "--pid-file=" + pidFile(), "--status-file=" + statusFile());

        assertThat(restart.exitValue()).isNotZero();
        assertThat(String.join("\n", restart.stderr())).contains(pidFile().toString());
    }

    @Test
    void restartWithAStalePidFile() throws Exception {
        Files.writeString(pidFile(), deadPid() + "\n");
        Files.writeString(statusFile(), "1:" + deadPid() + "\n");

        StartServerRun restart = launcher.run("--restart", "--pid-file=" + pidFile(), "--status-file=" + statusFile());

        assertThat(restart.exitValue()).isNotZero();
        assertThat(restart.stderr()).isNotEmpty();
    }

    @Test
    void restartWithAGarbagePidFile() throws Exception {
        Files.writeString(pidFile(), "not-a-pid\n");
        Files.writeString(statusFile(), "1:1\n");

        StartServerRun restart = launcher.run("--restart", "--pid-file=" + pidFile(), "--status-file=" + statusFile());

        assertThat(restart.exitValue()).isNotZero();
        assertThat(restart.stderr()).isNotEmpty();
    }

    @Test
    void stopWithoutAPidFile() {
        StartServerRun stop = launcher.run("--stop", "--pid-file=" + pidFile());

        assertThat(stop.exitValue()).isNotZero();
        assertThat(String.join("\n", stop.stderr())).contains(pidFile().toString());
    }

    @Test
    void stopWithAStalePidFile() throws Exception {
        Files.writeString(pidFile(), deadPid() + "\n");

        StartServerRun stop = launcher.run("--stop", "--pid-file=" + pidFile());

        assertThat(stop.exitValue()).isNotZero();
        assertThat(stop.stderr()).isNotEmpty();
    }

    @Test
    void stopWithAGarbagePidFile() throws Exception {
        Files.writeString(pidFile(), "not-a-pid\n");

        StartServerRun stop = launcher.run("--stop", "--pid-file=" + pidFile());

        assertThat(stop.exitValue()).isNotZero();
        assertThat(stop.stderr()).isNotEmpty();
    }

    @Test
    void stopRequiresAPidFile() {
        StartServerRun stop = launcher.run("--stop");

        assertThat(stop.exitValue()).isNotZero();
        assertThat(String.join("\n", stop.stderr())).contains("--pid-file");
    }

    /** Every generation after the first, as a FIXTURE_*_GENERATIONS list. */
    private static final String ALL_BUT_THE_FIRST = IntStream.rangeClosed(2, 500).mapToObj(Integer::toString)
            .collect(Collectors.joining(","));

    /**
     * [ours] The original's --restart waits for ever; ours reports a failed attempt as soon as
     * start_server knows it, with the reason, while the old generation keeps serving. The client
     * timeout is far longer than the bound asserted: only the failure can have ended the wait.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "crashes|--wait-ready=never|FIXTURE_FAIL_GENERATIONS||exited with status 3 before it counted as started",
        "is killed|--wait-ready=never|FIXTURE_FAIL_GENERATIONS|KILL|was killed by signal 9 (KILL) before it counted as started",
        "hangs|--wait-ready=always|FIXTURE_HANG_GENERATIONS||did not report ready within 2 secs",
        "never reports ready|--wait-ready=always|FIXTURE_SILENT||did not report ready within 2 secs"})
    void restartFailsWithinSecondsOfTheNewGenerationFailingAndSaysWhy(String what, String readiness, String knob,
                                                                      String signal, String reason) {
        Impl.assumeOurs("the original's --restart waits for ever");
        // An interval that outlasts the fixture's start and crash (a Python start on a loaded machine).
        Launcher.Spec spec = server("--interval=2", readiness, "--wait-ready-timeout=2");
        if (readiness.equals("--wait-ready=always")) {
            spec.env("FIXTURE_NOTIFY_GENERATIONS", knob.equals("FIXTURE_SILENT") ? "1" : "*");
        }
        if (!knob.equals("FIXTURE_SILENT")) {
            spec.env(knob, ALL_BUT_THE_FIRST);
        }
        if (signal != null) {
            spec.env("FIXTURE_FAIL_SIGNAL", signal);
        }
        StartServerRun server = startAndAwaitFiles(spec);

        StartServerRun restart = launcher.run("--restart", "--client-timeout=90", "--pid-file=" + pidFile(),
                "--status-file=" + statusFile());
        long exited = System.nanoTime();

        assertThat(restart.exitValue()).as(restart.describe()).isEqualTo(3);
        long second = server.awaitWorker(2);
        assertThat(restart.stderr()).as(restart.describe()).containsExactly("start_server: restart failed: generation 2 (pid "
                + second + ") " + reason + "; generation 1 (pid " + server.awaitWorker(1) + ") keeps serving; "
                + "start_server keeps trying");
        long failed = server.readAt(reason.startsWith("did not") ? "new worker " + second + " did not report ready"
                : "new worker " + second + " seems to have failed to start");
        assertThat(Duration.ofNanos(exited - failed)).as("from start_server's log line to --restart's exit")
                .isLessThan(Duration.ofSeconds(15));
        assertThat(server.isAlive()).isTrue();
        assertThat(Client.awaitAnswer(server, port).generation()).as("the old generation still serves").isEqualTo(1);
    }

    @Test
    void restartFailsWhenStartServerStopsMeanwhile() {
        Impl.assumeOurs("the original's --restart waits for ever");
        StartServerRun server = startAndAwaitFiles(server("--interval=0").env("FIXTURE_HANG_GENERATIONS", ALL_BUT_THE_FIRST)
                .env("FIXTURE_TERM_DELAY", "1"));
        StartServerRun restart = launcher.spec().args("--restart", "--client-timeout=90", "--pid-file=" + pidFile(),
                "--status-file=" + statusFile()).start();
        server.awaitWorker(2);
        server.signal("TERM");

        assertThat(restart.awaitExit()).as(restart.describe()).isEqualTo(3);
        assertThat(String.join("\n", restart.stderr())).containsAnyOf("start_server is stopping", "exited during the restart");
    }

    /** A pid no process has now: one of our own children, reaped. */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }
}
