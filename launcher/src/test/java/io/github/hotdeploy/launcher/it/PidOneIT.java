package io.github.hotdeploy.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotdeploy.testsupport.FreePorts;
import io.github.hotdeploy.testsupport.ProcFs;
import io.github.hotdeploy.testsupport.Processes;
import io.github.hotdeploy.testsupport.StartServerRun;
import io.github.hotdeploy.testsupport.Waits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * [ours] start_server as a container's entry point, PID 1 of its own pid namespace
 * ({@code unshare --pid --fork --mount-proc}, what Docker and Kubernetes do): it reaps every
 * orphan the kernel hands it, takes HUP and the client modes from inside the namespace, and
 * its exit status says how the stop went.
 */
class PidOneIT {
    static final String UNSHARE = "/usr/bin/unshare";
    static final String NSENTER = "/usr/bin/nsenter";

    @RegisterExtension
    final Launcher launcher = new Launcher();

    @TempDir
    Path tmp;

    private final int port = FreePorts.tcp();

    @BeforeEach
    void ours() {
        Impl.assumeOurs("the original does not reap orphans");
        assertThat(Path.of(UNSHARE)).as("util-linux's unshare").isExecutable();
    }

    private Launcher.Spec asPidOne(String... options) {
        List<String> args = new ArrayList<>(List.of("--port=127.0.0.1:" + port, "--pid-file=" + tmp.resolve("pid"),
                "--status-file=" + tmp.resolve("status")));
        args.addAll(List.of(options));
        args.add("--");
        return launcher.spec().under(UNSHARE, "--pid", "--fork", "--mount-proc").args(args);
    }

    /** start_server's pid outside the namespace: unshare's only child. */
    private static long hostPid(StartServerRun unshare) {
        return Waits.until("unshare's child", () -> unshare.handle().children().findFirst().map(ProcessHandle::pid),
                unshare::describe);
    }

    /** Runs a command in start_server's pid and mount namespaces (as kubectl exec would). */
    private static Process inside(long hostPid, String... command) throws IOException {
        List<String> argv = new ArrayList<>(List.of(NSENTER, "--target=" + hostPid, "--pid", "--mount", "--"));
        argv.addAll(List.of(command));
        return new ProcessBuilder(argv).redirectErrorStream(true).start();
    }

    private static String output(Process p) throws Exception {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    /**
     * Each generation is a {@code sh -c} that leaves a background process behind, whose parent
     * then dies: the kernel hands the orphan to PID 1. A hundred restarts later not one is left
     * unreaped.
     */
    @Test
    void noZombieIsLeftAfterAHundredRestartsOfAShellThatLeavesABackgroundProcess() {
        String shell = "sleep 0.2 & exec " + Fixtures.python() + " " + Fixtures.resource("fixture_server.py");
        StartServerRun unshare = asPidOne("--interval=0").args("/bin/sh", "-c", shell).start();
        long pid = hostPid(unshare);
        unshare.awaitLine("^fixture \\d+ gen 1 serving$");

        for (int n = 1; n <= 100; n++) {
            Processes.signal(pid, "HUP");
            unshare.awaitLine("^old worker \\d+ died, status:", n);
            unshare.awaitLine("^fixture \\d+ gen " + (n + 1) + " serving$");
        }

        // Every generation left a sleep behind: all of them have ended by now, and were reaped.
        Waits.until("no zombie child of start_server (pid " + pid + ")", () -> ProcFs.zombieChildren(pid).isEmpty());
        assertThat(ProcFs.alive(pid)).isTrue();
        Processes.signal(pid, "TERM");
        assertThat(unshare.awaitExit()).isZero();
    }

    @Test
    void hupAndTheClientModesWorkFromInsideTheNamespace() throws Exception {
        StartServerRun unshare = asPidOne("--interval=0").args(Fixtures.pythonServer()).start();
        long pid = hostPid(unshare);
        unshare.awaitLine("^fixture \\d+ gen 1 serving$");
        Waits.until("the status file", () -> FilesIT.read(tmp.resolve("status")).filter(s -> s.startsWith("1:")).isPresent());
        assertThat(FilesIT.read(tmp.resolve("pid"))).as("start_server's own view of its pid").contains("1\n");

        Process hup = inside(pid, "kill", "-HUP", "1");
        assertThat(output(hup)).isEmpty();
        assertThat(hup.exitValue()).isZero();
        unshare.awaitLine("^fixture \\d+ gen 2 serving$");

        String executable = launcher.impl().executable().toString();
        Process restart = inside(pid, executable, "--restart", "--pid-file=" + tmp.resolve("pid"),
                "--status-file=" + tmp.resolve("status"));
        String restarted = output(restart);
        assertThat(restart.exitValue()).as(restarted).isZero();
        Process status = inside(pid, executable, "--status", "--pid-file=" + tmp.resolve("pid"));
        String shown = output(status);
        assertThat(status.exitValue()).as(shown).isZero();
        assertThat(shown).startsWith("start_server (pid 1) serving: generation 3 (pid ");

        // From outside the namespace the pid file's 1 is this machine's init: the clients refuse it.
        StartServerRun outside = launcher.run("--status", "--pid-file=" + tmp.resolve("pid"));
        assertThat(outside.exitValue()).isEqualTo(2);
        assertThat(String.join("\n", outside.stdout())).contains("holds 1, but pid 1 here does not hold its lock");

        // --stop inside would die with the namespace's PID 1 (the kernel kills the rest): the
        // container's stop is TERM to PID 1, as docker stop and Kubernetes send it.
        Process term = inside(pid, "kill", "-TERM", "1");
        assertThat(output(term)).isEmpty();
        assertThat(unshare.awaitExit()).isZero();
    }

    @Test
    void aStopThatHadToKillExitsWithFiveWithinTheBound() {
        StartServerRun unshare = asPidOne("--interval=0", "--force-kill-after=1").args(Fixtures.pythonServer())
                .env("FIXTURE_IGNORE", "TERM").start();
        long pid = hostPid(unshare);
        unshare.awaitLine("^fixture \\d+ gen 1 serving$");

        long sent = System.nanoTime();
        Processes.signal(pid, "TERM");
        int status = unshare.awaitExit(Duration.ofSeconds(30));

        assertThat(status).as(unshare.describe()).isEqualTo(5);
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).as("--force-kill-after=1 and the exit")
                .isLessThan(Duration.ofSeconds(15));
        assertThat(unshare.output()).anyMatch(l -> l.matches("worker \\d+ still alive 1 secs after it was signalled, sending KILL"));
    }

    @Test
    void aCleanStopExitsZero() {
        StartServerRun unshare = asPidOne("--interval=0", "--force-kill-after=10").args(Fixtures.pythonServer())
                .env("FIXTURE_TERM_DELAY", "0.5").start();
        long pid = hostPid(unshare);
        unshare.awaitLine("^fixture \\d+ gen 1 serving$");

        Processes.signal(pid, "TERM");

        assertThat(unshare.awaitExit()).as(unshare.describe()).isZero();
        assertThat(Optional.of(unshare.output())).get().asList().contains("exiting");
    }
}
