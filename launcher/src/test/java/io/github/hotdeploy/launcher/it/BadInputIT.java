package io.github.hotdeploy.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotdeploy.testsupport.FreePorts;
import io.github.hotdeploy.testsupport.ProcFs;
import io.github.hotdeploy.testsupport.StartServerRun;
import io.github.hotdeploy.testsupport.Waits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input (spec "Exit codes and messages"): a non-zero exit, an error that names the culprit,
 * and nothing left behind: no process, no socket file, no pid file, no status file. Where the
 * original does something else (loops, hangs, binds anyway, deletes a file) the test is [ours].
 * The one-line rule is [ours] throughout: the original adds "starting now" and "at FILE line N".
 */
class BadInputIT {
    @RegisterExtension
    final Launcher launcher = new Launcher();

    @TempDir
    Path tmp;

    /** Marks the fixture's command line, so a leftover process is found by it in /proc. */
    private final String token = "it-token-" + UUID.randomUUID();

    private Path pidFile() {
        return tmp.resolve("run/start_server.pid");
    }

    private Path statusFile() {
        return tmp.resolve("run/status");
    }

    private Path socketFile() {
        return tmp.resolve("run/app.sock");
    }

    /**
     * start_server with the given options plus (unless given) pid, status and socket files, and
     * the marked fixture. An option is never given twice: that would test option parsing instead.
     */
    private StartServerRun runWith(String... options) throws IOException {
        Files.createDirectories(tmp.resolve("run"));
        List<String> args = new ArrayList<>(List.of(options));
        addUnlessGiven(args, "--pid-file=", pidFile());
        addUnlessGiven(args, "--status-file=", statusFile());
        addUnlessGiven(args, "--path=", socketFile());
        args.add("--interval=0");
        args.add("--");
        args.addAll(Fixtures.pythonServer(token));
        return launcher.run(args.toArray(String[]::new));
    }

    private static void addUnlessGiven(List<String> args, String option, Path value) {
        if (args.stream().noneMatch(a -> a.startsWith(option))) {
            args.add(option + value);
        }
    }

    /**
     * The common verdict: failed, said why naming {@code culprit}, left nothing. The error is one
     * line for ours; the original's own message only has to name the culprit somewhere.
     */
    private void assertCleanFailure(StartServerRun run, String culprit, Path... alsoAbsent) throws IOException {
        assertThat(run.exitValue()).as("exit status\n" + run.describe()).isNotZero();
        if (launcher.impl() == Impl.OURS) {
            assertThat(run.stderr()).as("one error line\n" + run.describe()).hasSize(1);
            assertThat(run.stdout()).as("nothing on stdout").isEmpty();
        }
        assertThat(String.join("\n", run.stderr())).as("the culprit is named").contains(culprit);
        assertThat(leftoverProcesses()).as("processes left behind").isEmpty();
        List<Path> mustBeGone = new ArrayList<>(List.of(pidFile(), statusFile(), socketFile()));
        mustBeGone.addAll(Arrays.asList(alsoAbsent));
        for (Path path : mustBeGone) {
            assertThat(Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)).as(path + " left behind").isFalse();
        }
    }

    /** Processes whose command line carries this test's token. */
    private List<String> leftoverProcesses() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    String cmdline = new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ');
                    if (cmdline.contains(token) && ProcFs.alive(Long.parseLong(p.getFileName().toString()))) {
                        found.add(p.getFileName() + ": " + cmdline);
                    }
                } catch (IOException gone) {
                    // exited meanwhile
                }
            });
        }
        return found;
    }

    @Test
    void aPortThatIsNotANumber() throws Exception {
        StartServerRun run = runWith("--port=abc");

        assertCleanFailure(run, "abc");
    }

    @Test
    void aPortAbove65535() throws Exception {
        Impl.assumeOurs("the original wraps port numbers modulo 65536 and binds");
        StartServerRun run = runWith("--port=127.0.0.1:70000");

        assertCleanFailure(run, "70000");
    }

    @Test
    void portZero() throws Exception {
        Impl.assumeOurs("the original binds port 0, i.e. a random port");
        StartServerRun run = runWith("--port=127.0.0.1:0");

        assertCleanFailure(run, "127.0.0.1:0");
    }

    @Test
    void aPortAlreadyInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = taken.getLocalPort();

            StartServerRun run = runWith("--port=127.0.0.1:" + port);

            assertCleanFailure(run, "127.0.0.1:" + port);
            assertThat(String.join("\n", run.stderr())).containsIgnoringCase("Address already in use");
        }
    }

    @Test
    void aFailedStartLeavesAnotherServersStatusFileAlone() throws Exception {
        // A second start_server pointed at a running one's files by mistake fails on the port
        // and must not remove what it did not create.
        Files.createDirectories(tmp.resolve("run"));
        int port = FreePorts.tcp();
        List<String> firstArgs = new ArrayList<>(List.of("--port=127.0.0.1:" + port, "--status-file=" + statusFile(), "--interval=0", "--"));
        firstArgs.addAll(Fixtures.pythonServer());
        StartServerRun first = launcher.start(firstArgs);
        first.awaitServing(1);
        Waits.until("the first one's status file", () -> Files.exists(statusFile()));

        StartServerRun second = launcher.run("--port=127.0.0.1:" + port, "--status-file=" + statusFile(), "--interval=0", "--",
                Fixtures.python(), Fixtures.resource("fixture_server.py").toString(), token);

        assertThat(second.exitValue()).isNotZero();
        assertThat(statusFile()).exists();
        assertThat(leftoverProcesses()).isEmpty();
        assertThat(first.isAlive()).isTrue();
    }

    @Test
    void aSecondPortInUseReleasesTheFirst() throws Exception {
        int first = FreePorts.tcp();
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            StartServerRun run = runWith("--port=127.0.0.1:" + first, "--port=127.0.0.1:" + taken.getLocalPort());

            assertCleanFailure(run, Integer.toString(taken.getLocalPort()));
            assertThat(Client.refused(first)).as("first port released").isTrue();
        }
    }

    @Test
    void aHostThatDoesNotResolve() throws Exception {
        StartServerRun run = runWith("--port=no-such-host.invalid:" + FreePorts.tcp());

        assertCleanFailure(run, "no-such-host.invalid");
    }

    @Test
    void aProgramThatDoesNotExist() throws Exception {
        Impl.assumeOurs("the original forks, fails to exec and retries for ever");
        Files.createDirectories(tmp.resolve("run"));
        Path missing = tmp.resolve("no-such-program");
        StartServerRun run = launcher.run("--pid-file=" + pidFile(), "--status-file=" + statusFile(), "--path=" + socketFile(),
                "--interval=0", "--", missing.toString(), token);

        assertCleanFailure(run, missing.toString());
    }

    @Test
    void aProgramNotOnThePath() throws Exception {
        Impl.assumeOurs("the original forks, fails to exec and retries for ever");
        Files.createDirectories(tmp.resolve("run"));
        StartServerRun run = launcher.run("--pid-file=" + pidFile(), "--status-file=" + statusFile(), "--path=" + socketFile(),
                "--interval=0", "--", "no-such-program-" + token);

        assertCleanFailure(run, "no-such-program-" + token);
    }

    @Test
    void aProgramThatIsNotExecutable() throws Exception {
        Impl.assumeOurs("the original forks, fails to exec and retries for ever");
        Files.createDirectories(tmp.resolve("run"));
        Path script = tmp.resolve("not-executable.sh");
        Files.writeString(script, "#!/bin/sh\nexec sleep 600\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
        StartServerRun run = launcher.run("--pid-file=" + pidFile(), "--status-file=" + statusFile(), "--path=" + socketFile(),
                "--interval=0", "--", script.toString(), token);

        assertCleanFailure(run, script.toString());
    }

    @Test
    void aDirThatDoesNotExist() throws Exception {
        Impl.assumeOurs("the original's child fails to chdir and it retries for ever");
        Path missing = tmp.resolve("no-such-dir");
        StartServerRun run = runWith("--dir=" + missing);

        assertCleanFailure(run, missing.toString());
    }

    @Test
    void anUnknownSignalOnHup() throws Exception {
        Impl.assumeOurs("the original only finds out when it gets a HUP");
        StartServerRun run = runWith("--signal-on-hup=NOSUCHSIG");

        assertCleanFailure(run, "NOSUCHSIG");
    }

    @Test
    void anUnknownSignalOnTerm() throws Exception {
        Impl.assumeOurs("the original only finds out when it gets a TERM");
        StartServerRun run = runWith("--signal-on-term=BOGUS");

        assertCleanFailure(run, "BOGUS");
    }

    @Test
    void aPidFileInAMissingDirectory() throws Exception {
        Path pid = tmp.resolve("missing/start_server.pid");
        StartServerRun run = runWith("--pid-file=" + pid);

        assertCleanFailure(run, pid.toString());
    }

    @Test
    void aStatusFileInAMissingDirectory() throws Exception {
        Impl.assumeOurs("the original dies at its first status update and leaves the worker running");
        Path status = tmp.resolve("missing/status");
        StartServerRun run = runWith("--status-file=" + status);

        assertCleanFailure(run, status.toString());
    }

    @Test
    void aLogFileInAMissingDirectory() throws Exception {
        Path log = tmp.resolve("missing/server.log");
        StartServerRun run = runWith("--log-file=" + log);

        assertCleanFailure(run, log.toString());
    }

    @Test
    void anEnvdirThatDoesNotExist() throws Exception {
        Impl.assumeOurs("the original silently ignores an envdir that is not a directory");
        Path envdir = tmp.resolve("no-such-envdir");
        StartServerRun run = runWith("--envdir=" + envdir);

        assertCleanFailure(run, envdir.toString());
    }

    @Test
    void anEnvdirThatIsAFile() throws Exception {
        Impl.assumeOurs("the original silently ignores an envdir that is not a directory");
        Path envdir = Files.writeString(tmp.resolve("a-file"), "X=1\n");
        StartServerRun run = runWith("--envdir=" + envdir);

        assertCleanFailure(run, envdir.toString());
    }

    @Test
    void daemonizeWithoutALogFile() throws Exception {
        StartServerRun run = runWith("--daemonize");

        assertCleanFailure(run, "--log-file");
    }

    @Test
    void aPathThatIsARegularFileIsNeitherUsedNorDeleted() throws Exception {
        Impl.assumeOurs("the original deletes whatever is at --path");
        Files.createDirectories(tmp.resolve("run"));
        Path precious = Files.writeString(tmp.resolve("precious.txt"), "keep me\n");
        StartServerRun run = runWith("--path=" + precious);

        assertCleanFailure(run, precious.toString());
        assertThat(precious).hasContent("keep me");
    }

    @Test
    void aPidFileLockedByALiveStartServer() throws Exception {
        Impl.assumeOurs("the original truncates the pid file and then waits for the lock for ever");
        Files.createDirectories(tmp.resolve("run"));
        Path pid = tmp.resolve("run/shared.pid");
        List<String> firstArgs = new ArrayList<>(List.of("--pid-file=" + pid, "--interval=0", "--"));
        firstArgs.addAll(Fixtures.pythonServer());
        StartServerRun first = launcher.start(firstArgs);
        Waits.until("the first pid file", () -> FilesIT.read(pid).filter(s -> s.endsWith("\n")), first::describe);

        StartServerRun second = runWith("--pid-file=" + pid);

        assertThat(second.exitValue()).isNotZero();
        assertThat(second.stderr()).hasSize(1);
        assertThat(second.stderr().get(0)).contains(pid.toString());
        assertThat(leftoverProcesses()).isEmpty();
        assertThat(first.isAlive()).isTrue();
        assertThat(Files.readString(pid)).as("the first one's pid file untouched").isEqualTo(first.pid() + "\n");
        assertThat(FilesIT.flockHeld(pid)).isTrue();
    }
}
