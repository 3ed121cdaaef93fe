package io.github.hotdeploy.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

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

    private Launched startAndAwaitFiles(Launcher.Spec spec) {
        Launched server = spec.start();
        server.awaitServing(1);
        Waits.until("pid and status files", () -> FilesIT.read(pidFile()).filter(s -> s.endsWith("\n")).isPresent()
                && FilesIT.read(statusFile()).filter(s -> s.startsWith("1:")).isPresent());
        return server;
    }

    @Test
    void restartReturnsOnceOnlyTheNewGenerationIsLeft() {
        Launched server = startAndAwaitFiles(server("--interval=0"));
        long first = server.awaitWorker(1);

        Launched restart = launcher.run("--restart", "--pid-file=" + pidFile(), "--status-file=" + statusFile());

        assertThat(restart.exitValue()).as(restart.describe()).isZero();
        long second = server.awaitWorker(2);
        assertThat(FilesIT.read(statusFile())).contains("2:" + second + "\n");
        assertThat(Processes.alive(first)).isFalse();
        assertThat(Client.awaitAnswer(server, port).generation()).isEqualTo(2);
    }

    @Test
    void restartWaitsUntilTheOldGenerationIsGone() {
        // Old generations drain for a while after TERM: --restart must not return before that.
        Launched server = startAndAwaitFiles(server("--interval=0").env("FIXTURE_TERM_DELAY", "2"));
        long first = server.awaitWorker(1);

        Launched restart = launcher.run("--restart", "--pid-file=" + pidFile(), "--status-file=" + statusFile());

        assertThat(restart.exitValue()).as(restart.describe()).isZero();
        assertThat(Processes.alive(first)).as("old generation alive after --restart returned").isFalse();
        assertThat(server.output()).contains("old worker " + first + " died, status:0");
    }

    @Test
    void stopReturnsOnlyAfterTheServerHasExited() {
        // A worker that takes its time to drain keeps start_server alive for a while after TERM.
        Launched server = startAndAwaitFiles(server("--interval=0").env("FIXTURE_TERM_DELAY", "1.5"));
        long worker = server.awaitWorker(1);

        Launched stop = launcher.run("--stop", "--pid-file=" + pidFile());

        assertThat(stop.exitValue()).as(stop.describe()).isZero();
        assertThat(Processes.alive(worker)).as("worker still running after --stop returned").isFalse();
        if (launcher.impl() == Impl.OURS) {
            // The original returns when the pid-file lock goes, a moment before its process ends.
            assertThat(server.isAlive()).as("start_server still running after --stop returned").isFalse();
        }
        assertThat(server.awaitExit(Duration.ofSeconds(10))).isZero();
        assertThat(pidFile()).doesNotExist();
        assertThat(statusFile()).doesNotExist();
    }

    @Test
    void restartAcceptsAnAbbreviation() {
        // --resta is unique among the original's options (restart), so it must stay so.
        Launched server = startAndAwaitFiles(server("--interval=0"));

        Launched restart = launcher.run("--resta", "--pid-file=" + pidFile(), "--status-file=" + statusFile());

        assertThat(restart.exitValue()).as(restart.describe()).isZero();
        server.awaitWorker(2);
    }

    @Test
    void stopStopsADaemonizedServer() throws Exception {
        Path log = tmp.resolve("daemon.log");
        Launched starter = server("--interval=0", "--daemonize", "--log-file=" + log).start();
        assertThat(starter.awaitExit()).isZero();
        long daemon = Long.parseLong(Waits.until("the daemon's pid file",
                () -> FilesIT.read(pidFile()).filter(s -> s.endsWith("\n")), starter::describe).trim());
        launcher.adopt(daemon);
        long worker = Client.awaitAnswer(starter, port).pid();

        Launched stop = launcher.run("--stop", "--pid-file=" + pidFile());

        assertThat(stop.exitValue()).as(stop.describe()).isZero();
        Waits.until("the daemon gone", () -> !Processes.alive(daemon));
        assertThat(Processes.alive(worker)).isFalse();
        assertThat(pidFile()).doesNotExist();
        assertThat(statusFile()).doesNotExist();
        assertThat(Files.readString(log)).contains("exiting");
    }

    @Test
    void restartWithoutAPidFile() {
        Launched restart = launcher.run("--restart", "--pid-file=" + pidFile(), "--status-file=" + statusFile());

        assertThat(restart.exitValue()).isNotZero();
        assertThat(String.join("\n", restart.stderr())).contains(pidFile().toString());
    }

    @Test
    void restartWithAStalePidFile() throws Exception {
        Files.writeString(pidFile(), deadPid() + "\n");
        Files.writeString(statusFile(), "1:" + deadPid() + "\n");

        Launched restart = launcher.run("--restart", "--pid-file=" + pidFile(), "--status-file=" + statusFile());

        assertThat(restart.exitValue()).isNotZero();
        assertThat(restart.stderr()).isNotEmpty();
    }

    @Test
    void restartWithAGarbagePidFile() throws Exception {
        Files.writeString(pidFile(), "not-a-pid\n");
        Files.writeString(statusFile(), "1:1\n");

        Launched restart = launcher.run("--restart", "--pid-file=" + pidFile(), "--status-file=" + statusFile());

        assertThat(restart.exitValue()).isNotZero();
        assertThat(restart.stderr()).isNotEmpty();
    }

    @Test
    void stopWithoutAPidFile() {
        Launched stop = launcher.run("--stop", "--pid-file=" + pidFile());

        assertThat(stop.exitValue()).isNotZero();
        assertThat(String.join("\n", stop.stderr())).contains(pidFile().toString());
    }

    @Test
    void stopWithAStalePidFile() throws Exception {
        Files.writeString(pidFile(), deadPid() + "\n");

        Launched stop = launcher.run("--stop", "--pid-file=" + pidFile());

        assertThat(stop.exitValue()).isNotZero();
        assertThat(stop.stderr()).isNotEmpty();
    }

    @Test
    void stopWithAGarbagePidFile() throws Exception {
        Files.writeString(pidFile(), "not-a-pid\n");

        Launched stop = launcher.run("--stop", "--pid-file=" + pidFile());

        assertThat(stop.exitValue()).isNotZero();
        assertThat(stop.stderr()).isNotEmpty();
    }

    @Test
    void stopRequiresAPidFile() {
        Launched stop = launcher.run("--stop");

        assertThat(stop.exitValue()).isNotZero();
        assertThat(String.join("\n", stop.stderr())).contains("--pid-file");
    }

    @Test
    void restartFailsClearlyWhenTheNewGenerationNeverStarts() {
        Impl.assumeOurs("the original's --restart waits for ever");
        String failing = IntStream.rangeClosed(2, 500).mapToObj(Integer::toString).collect(Collectors.joining(","));
        Launched server = startAndAwaitFiles(server("--interval=1").env("FIXTURE_FAIL_GENERATIONS", failing));

        // [ours] option: the default (120 s) is longer than this test should take.
        Launched restart = launcher.run("--restart", "--client-timeout=5", "--pid-file=" + pidFile(), "--status-file=" + statusFile());

        assertThat(restart.exitValue()).isNotZero();
        assertThat(restart.stderr()).isNotEmpty();
        assertThat(server.isAlive()).isTrue();
        assertThat(Client.awaitAnswer(server, port).generation()).as("the old generation still serves").isEqualTo(1);
    }

    /** A pid no process has now: one of our own children, reaped. */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }
}
