package io.github.hotdeploy.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotdeploy.testsupport.FreePorts;
import io.github.hotdeploy.testsupport.StartServerRun;
import io.github.hotdeploy.testsupport.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Low resource limits (issue 18, "Stuck"): start_server either works under them or says, in one
 * line, which limit is too low; it never retries for ever nor fails with an error naming nothing.
 */
class ResourceLimitsIT {
    @RegisterExtension
    final Launcher launcher = new Launcher();

    @TempDir
    Path tmp;

    private List<String> withFixture(String... options) {
        List<String> args = new ArrayList<>(List.of(options));
        args.add("--");
        args.addAll(Fixtures.pythonServer());
        return args;
    }

    @Test
    void aDescriptorInheritedAboveTheOpenFilesLimitDoesNotStopTheSpawn() throws Exception {
        // The shell holds fd 200, then lowers the limit to 128: copying the sockets above the
        // highest open fd, as start_server did, asks for numbers posix_spawn refuses (EBADF), for ever.
        int port = FreePorts.tcp();
        StartServerRun run = launcher.spec().shell("exec 200</dev/null; ulimit -n 128")
                .args(withFixture("--port=127.0.0.1:" + port, "--interval=0"))
                .env("FIXTURE_REPORT_DIR", tmp.toString()).start();

        assertThat(Client.awaitAnswer(run, port).generation()).isEqualTo(1);
        ChildReport report = ChildReport.await(tmp, 1, run);
        int fd = report.ports().get("127.0.0.1:" + port);
        assertThat(report.fds.get(fd)).startsWith("socket:");
        if (launcher.impl() == Impl.OURS) {
            // [ours] exactly 0-2 and the socket (and the agent's notify socket): fd 200 is closed
            // although no file action may name it.
            List<Integer> expected = new ArrayList<>(List.of(0, 1, 2, fd));
            String notify = report.env.get("SERVER_STARTER_NOTIFY_FD");
            if (notify != null) {
                expected.add(Integer.parseInt(notify));
            }
            assertThat(report.fds.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(run.count("failed")).isZero();
    }

    @Test
    void aSocketPlacedAtOrAboveTheLimitIsAnErrorAtStart() throws Exception {
        int port = FreePorts.tcp();
        Path pid = tmp.resolve("pid");
        StartServerRun run = launcher.spec().shell("ulimit -n 1024")
                .args(withFixture("--port=127.0.0.1:" + port + "=5000", "--interval=0", "--pid-file=" + pid)).start();

        assertThat(run.awaitExit()).as(run.describe()).isNotZero();
        assertThat(String.join("\n", run.stderr())).contains("5000");
        assertThat(Client.refused(port)).isTrue();
        if (launcher.impl() == Impl.OURS) {
            assertThat(run.stderr()).as(run.describe()).containsExactly("start_server: socket 127.0.0.1:" + port
                    + " cannot be placed at fd 5000: it is not below the open-files limit (ulimit -n: 1024)");
            assertThat(run.exitValue()).isEqualTo(2);
            assertThat(pid).doesNotExist();
        }
    }

    @Test
    void anOpenFilesLimitTooLowForStartServerIsOneLineNamingIt() throws Exception {
        Impl.assumeOurs("the original needs a few descriptors only; a JVM needs a few dozen");
        List<String> args = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            args.add("--port=127.0.0.1:" + FreePorts.tcp());
        }
        args.add("--interval=0");
        StartServerRun run = launcher.spec().shell("ulimit -n 16").args(withFixture(args.toArray(String[]::new))).start();

        assertThat(run.awaitExit()).isEqualTo(2);
        assertThat(run.stderr()).as(run.describe()).containsExactly("start_server: the open-files limit (ulimit -n) is 16;"
                + " start_server needs at least 42 (32 for itself and one per socket): raise it");
    }

    @Test
    void atTheLimitItAsksForEverythingWorksRestartsIncluded() throws Exception {
        Impl.assumeOurs("[ours] --wait-ready");
        // 32 + one socket, with every feature that holds a descriptor: pid, status and piped log
        // files, a readiness socket per generation, restarts.
        int port = FreePorts.tcp();
        Path log = tmp.resolve("log");
        StartServerRun run = launcher.spec().shell("ulimit -n 33").args("--port=127.0.0.1:" + port, "--interval=0",
                "--pid-file=" + tmp.resolve("pid"), "--status-file=" + tmp.resolve("status"),
                "--log-file=| cat >> '" + log + "'", "--wait-ready=always", "--",
                "sh", "-c", "systemd-notify --ready --no-block; exec sleep 600").start();

        Waits.until("generation 1 in the status file", () -> Files.exists(tmp.resolve("status")));
        for (int restart = 1; restart <= 3; restart++) {
            run.signal("HUP");
            int done = restart;
            Waits.until("restart " + restart + " done", () -> occurrences(log, "new worker is now running") == done);
        }
        run.signal("TERM");
        assertThat(run.awaitExit()).isZero();
        assertThat(Files.readString(log)).doesNotContain("Too many open files", "warning", "failed");
    }

    private static int occurrences(Path file, String text) {
        return FilesIT.read(file).map(s -> s.split(java.util.regex.Pattern.quote(text), -1).length - 1).orElse(0);
    }
}
