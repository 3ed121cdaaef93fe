package io.github.hotdeploy.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotdeploy.testsupport.FreePorts;
import io.github.hotdeploy.testsupport.ProcFs;
import io.github.hotdeploy.testsupport.Processes;
import io.github.hotdeploy.testsupport.StartServerRun;
import io.github.hotdeploy.testsupport.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** --pid-file, --status-file, --log-file and --daemonize (spec "Files"). */
class FilesIT {
    @RegisterExtension
    final Launcher launcher = new Launcher();

    @TempDir
    Path tmp;

    private final int port = FreePorts.tcp();

    private Launcher.Spec fixture(String... options) {
        List<String> args = new ArrayList<>(List.of("--port=127.0.0.1:" + port));
        args.addAll(List.of(options));
        args.add("--");
        args.addAll(Fixtures.pythonServer());
        return launcher.spec().args(args);
    }

    /** flock(1) -n: fails at once while someone holds an exclusive flock on the file. */
    static boolean flockHeld(Path file) throws Exception {
        Process flock = new ProcessBuilder("flock", "-n", file.toString(), "true").redirectErrorStream(true).start();
        flock.getInputStream().readAllBytes();
        if (!flock.waitFor(30, TimeUnit.SECONDS)) {
            flock.destroyForcibly();
            throw new AssertionError("flock -n hung");
        }
        return flock.exitValue() != 0;
    }

    static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file));
        } catch (Exception missing) {
            return Optional.empty();
        }
    }

    @Test
    void pidFileHoldsThePidUnderAnExclusiveFlockAndGoesAtExit() throws Exception {
        Path pidFile = tmp.resolve("start_server.pid");
        StartServerRun run = fixture("--interval=0", "--pid-file=" + pidFile).start();

        Waits.until("the pid file", () -> read(pidFile).filter(s -> s.endsWith("\n")), run::describe);
        assertThat(Files.readString(pidFile)).isEqualTo(run.pid() + "\n");
        assertThat(flockHeld(pidFile)).as("flock held while running").isTrue();

        run.signal("TERM");
        assertThat(run.awaitExit()).isZero();
        assertThat(pidFile).doesNotExist();
    }

    @Test
    void aStalePidFileIsReplaced() throws Exception {
        Path pidFile = tmp.resolve("start_server.pid");
        Files.writeString(pidFile, "4194999\n");
        StartServerRun run = fixture("--interval=0", "--pid-file=" + pidFile).start();

        Waits.until("our pid in the pid file", () -> read(pidFile).filter(s -> s.equals(run.pid() + "\n")), run::describe);
        assertThat(flockHeld(pidFile)).isTrue();
    }

    @Test
    void aPidFileIsNeverWrittenThroughALinkPlacedThere() throws Exception {
        Impl.assumeOurs("the original opens the pid file through the link and overwrites its target");
        Path victim = Files.writeString(tmp.resolve("victim"), "precious\n");
        Path pidFile = tmp.resolve("start_server.pid");
        Files.createSymbolicLink(pidFile, victim);

        StartServerRun run = fixture("--interval=0", "--pid-file=" + pidFile).start();

        assertThat(run.awaitExit()).isEqualTo(2);
        assertThat(run.stderr()).as(run.describe()).containsExactly("start_server: pid file " + pidFile
                + " is a symbolic link: refusing to follow it (give the link's target as --pid-file)");
        assertThat(victim).hasContent("precious");

        Files.delete(pidFile);
        Files.createLink(pidFile, victim); // a hard link: the same file under a second name
        StartServerRun again = fixture("--interval=0", "--pid-file=" + pidFile).start();
        assertThat(again.awaitExit()).isEqualTo(2);
        assertThat(again.stderr()).as(again.describe())
                .containsExactly("start_server: pid file " + pidFile + " has 2 hard links: refusing to write to it");
        assertThat(victim).hasContent("precious");
    }

    @Test
    void theStatusFilesTemporaryFileCannotBePlantedAsALink() throws Exception {
        Impl.assumeOurs("the original writes FILE.PID, a name anyone can guess, through a link placed there");
        Path victim = Files.writeString(tmp.resolve("victim"), "precious\n");
        Path status = tmp.resolve("status");
        StartServerRun run = fixture("--interval=0", "--status-file=" + status).start();
        run.awaitServing(1);
        Waits.until("the status file", () -> Files.exists(status));
        // The name the original (and start_server until now) writes the next status to.
        Files.createSymbolicLink(tmp.resolve("status." + run.pid()), victim);

        run.signal("HUP");
        run.awaitServing(2);
        Waits.until("generation 2 alone in the status file", () -> read(status).filter(s -> s.startsWith("2:")).isPresent());

        assertThat(victim).hasContent("precious");
        assertThat(Files.isSymbolicLink(status)).isFalse();
    }

    @Test
    void aPidFileThatCannotBeWrittenIsNotLeftBehindEmpty() throws Exception {
        Impl.assumeOurs("the original dies of SIGXFSZ (or ENOSPC) and leaves an empty pid file");
        // A file-size limit of 0 fails the write as a full disk does, without needing one.
        Path pidFile = tmp.resolve("start_server.pid");
        StartServerRun run = launcher.spec().shell("ulimit -f 0").args("--port=127.0.0.1:" + port, "--interval=0",
                "--pid-file=" + pidFile, "--", "sleep", "600").start();

        assertThat(run.awaitExit()).isEqualTo(2);
        assertThat(run.stderr()).as(run.describe()).containsExactly("start_server: failed to write pid file " + pidFile
                + ": File too large (the file-size limit, ulimit -f, is 0 bytes)");
        assertThat(pidFile).doesNotExist();
    }

    @Test
    void aStatusFileThatCannotBeWrittenLeavesNoTemporaryFile() throws Exception {
        Impl.assumeOurs("the original dies at its first status update");
        Path dir = Files.createDirectory(tmp.resolve("run"));
        StartServerRun run = launcher.spec().shell("ulimit -f 0").args("--port=127.0.0.1:" + port, "--interval=0",
                "--status-file=" + dir.resolve("status"), "--", "sleep", "600").start();

        run.awaitLine("^start_server: failed to write status file .*File too large");
        try (var left = Files.list(dir)) {
            assertThat(left).as("files left in " + dir + " after the failed write").isEmpty();
        }
        run.signal("TERM");
        assertThat(run.awaitExit()).isZero();
    }

    /** The private directory of a start_server's notify sockets, from its first generation's NOTIFY_SOCKET. */
    private Path notifyDirectoryOf(StartServerRun run) {
        long worker = run.awaitWorker(1);
        return Waits.until("the NOTIFY_SOCKET of " + worker, () -> environment(worker).stream()
                .filter(e -> e.startsWith("NOTIFY_SOCKET=")).map(e -> Path.of(e.substring(14)).getParent()).findFirst(),
                run::describe);
    }

    private static List<String> environment(long pid) {
        try {
            return List.of(new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"))).split("\0"));
        } catch (Exception gone) {
            return List.of();
        }
    }

    @Test
    void theReadinessDirectoryOfAKilledStartServerIsRemovedByTheNextOne() throws Exception {
        Impl.assumeOurs("[ours] --wait-ready");
        // A temporary directory of the test's own: any start_server on the machine clears the
        // leftovers in the one it uses, and on a shared /tmp another's could clear this one first.
        Map<String, String> ownTmp = Map.of("START_SERVER_JAVA_OPTS",
                "-Djava.io.tmpdir=" + Files.createDirectory(tmp.resolve("t")));
        StartServerRun killed = fixture("--interval=0", "--wait-ready=always", "--wait-ready-timeout=600").env(ownTmp).start();
        Path leftover = notifyDirectoryOf(killed);
        List<ProcessHandle> orphans = killed.handle().descendants().toList();
        Processes.signal(killed.pid(), "KILL");
        killed.awaitExit();
        orphans.forEach(ProcessHandle::destroyForcibly);
        assertThat(leftover).as("left by kill -9").isDirectory();

        StartServerRun next = fixture("--interval=0", "--wait-ready=always", "--wait-ready-timeout=600").env(ownTmp).start();
        Path nextsOwn = notifyDirectoryOf(next);
        Waits.until("the leftover removed", () -> !Files.exists(leftover));
        assertThat(next.output()).contains("start_server: removed " + leftover + ", left by a start_server that was killed");

        // One more: the directory of a start_server that runs is not a leftover.
        StartServerRun another = launcher.spec().args("--port=127.0.0.1:" + FreePorts.tcp(), "--interval=0",
                "--wait-ready=always", "--wait-ready-timeout=600", "--").args(Fixtures.pythonServer()).env(ownTmp).start();
        notifyDirectoryOf(another);
        assertThat(another.output()).noneMatch(l -> l.contains("removed " + nextsOwn));
        assertThat(nextsOwn).as("a live start_server's directory").isDirectory();
    }

    @Test
    void statusFileListsEveryLiveGenerationAndIsRemovedAtExit() throws Exception {
        Path status = tmp.resolve("status");
        // The old generation ignores the HUP signal, so both are alive for a while.
        StartServerRun run = fixture("--interval=0", "--status-file=" + status, "--signal-on-hup=USR2")
                .env("FIXTURE_IGNORE", "USR2").start();
        long first = run.awaitWorker(1);
        Waits.until("status with generation 1", () -> read(status).filter(s -> s.equals("1:" + first + "\n")), run::describe);
        run.awaitServing(1);

        run.signal("HUP");
        long second = run.awaitWorker(2);
        Waits.until("status with generations 1 and 2",
                () -> read(status).filter(s -> s.equals("1:" + first + "\n2:" + second + "\n")), run::describe);

        Processes.signal(first, "KILL");
        run.awaitLine("^old worker " + first + " died, status:9$");
        Waits.until("status with generation 2 only", () -> read(status).filter(s -> s.equals("2:" + second + "\n")), run::describe);

        run.signal("TERM");
        assertThat(run.awaitExit()).isZero();
        assertThat(status).doesNotExist();
        try (var left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).as("temp files left")
                    .noneMatch(n -> n.startsWith("status") || n.startsWith(".status"));
        }
    }

    @Test
    void statusFileIsNeverSeenHalfWritten() throws Exception {
        Path status = tmp.resolve("status");
        StartServerRun run = fixture("--interval=0", "--status-file=" + status).start();
        run.awaitServing(1);

        List<String> bad = new CopyOnWriteArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                read(status).filter(s -> !s.matches("(\\d+:\\d+\n)+")).ifPresent(bad::add);
            }
        });
        reader.start();
        try {
            for (int generation = 2; generation <= 6; generation++) {
                run.signal("HUP");
                run.awaitServing(generation);
            }
        } finally {
            done.set(true);
            reader.join();
        }
        assertThat(bad).as("status file contents that were not whole GENERATION:PID lines").isEmpty();
    }

    @Test
    void statusFileIsInNumericOrder() throws Exception {
        Impl.assumeOurs("the original sorts generations as strings, so 10: comes before 9:");
        Path status = tmp.resolve("status");
        Path envdir = Files.createDirectory(tmp.resolve("env"));
        // Generations 1-8 die on USR2 (the HUP signal); 9 is told through the envdir to ignore it.
        StartServerRun run = fixture("--interval=0", "--status-file=" + status, "--signal-on-hup=USR2", "--envdir=" + envdir).start();
        run.awaitServing(1);
        for (int generation = 2; generation <= 10; generation++) {
            if (generation == 9) {
                Files.writeString(envdir.resolve("FIXTURE_IGNORE"), "USR2\n");
            }
            run.signal("HUP");
            run.awaitServing(generation);
            run.awaitLine("^old worker \\d+ died", generation == 10 ? 8 : generation - 1);
        }
        long nine = Long.parseLong(run.awaitLine("^fixture (\\d+) gen 9 serving$").group(1));
        long ten = Long.parseLong(run.awaitLine("^fixture (\\d+) gen 10 serving$").group(1));

        Waits.until("status with 9 and 10 in numeric order",
                () -> read(status).filter(s -> s.equals("9:" + nine + "\n10:" + ten + "\n")), run::describe);
    }

    @Test
    void logFileGetsStartServersAndTheChildrensOutputAppended() throws Exception {
        Path log = tmp.resolve("server.log");
        Files.writeString(log, "an older line\n");
        StartServerRun run = fixture("--interval=0", "--log-file=" + log).start();

        Waits.until("the child's line in the log", () -> read(log).filter(s -> s.contains(" gen 1 serving\n")), run::describe);
        String text = Files.readString(log);
        assertThat(text).startsWith("an older line\n").contains("starting new worker ");
        // Only what was printed before the log was set up reaches the original stderr.
        assertThat(run.output()).noneMatch(l -> l.startsWith("starting new worker"));

        run.signal("TERM");
        assertThat(run.awaitExit()).isZero();
        assertThat(Files.readString(log)).contains("exiting\n");
    }

    @Test
    void logFileMayBeAPipeThroughAShellCommand() throws Exception {
        Path log = tmp.resolve("piped.log");
        StartServerRun run = fixture("--interval=0", "--log-file=| cat >> '" + log + "'").start();

        Waits.until("the child's line in the piped log", () -> read(log).filter(s -> s.contains(" gen 1 serving\n")), run::describe);
        assertThat(Files.readString(log)).contains("starting new worker ");
    }

    @Test
    void aLogReaderThatStopsReadingNeverStopsTheSupervisor() throws Exception {
        Impl.assumeOurs("the original blocks in its own log write and never acts on HUP or TERM again");
        Path status = tmp.resolve("status");
        // sleep never reads: the child's output fills the pipe, then every write to it waits.
        StartServerRun run = launcher.spec().args("--port=127.0.0.1:" + port, "--interval=0", "--status-file=" + status,
                "--log-file=| exec sleep 600", "--", "sh", "-c",
                "while :; do echo 0123456789012345678901234567890123456789; done").start();
        long first = Long.parseLong(Waits.until("generation 1", () -> read(status).filter(s -> s.startsWith("1:")),
                run::describe).trim().substring(2));
        run.handle().children().filter(c -> c.info().commandLine().orElse("").contains("sleep"))
                .forEach(c -> launcher.adopt(c.pid())); // left behind at exit: it never reads to the end
        Waits.until("generation 1 waiting in a write to the full log pipe", () -> ProcFs.blockedWriting(first));

        run.signal("HUP");
        Waits.until("generation 2 in the status file", () -> read(status).filter(s -> s.startsWith("2:")).isPresent());
        run.signal("TERM");
        assertThat(run.awaitExit()).isZero();
    }

    @Test
    void aLogCommandThatExitsIsReapedAndUsr1RestartsIt() throws Exception {
        Impl.assumeOurs("the original leaves the command a zombie until it exits itself, and dies on USR1");
        Path log = tmp.resolve("piped.log");
        StartServerRun run = fixture("--interval=0", "--log-file=| exec cat >> '" + log + "'").start();
        Waits.until("gen 1 in the piped log", () -> read(log).filter(s -> s.contains(" gen 1 serving\n")), run::describe);
        ProcessHandle command = run.handle().children().filter(c -> c.info().command().orElse("").endsWith("/cat"))
                .findFirst().orElseThrow();

        Processes.signal(command.pid(), "TERM");
        Waits.until("the log command reaped, not a zombie", () -> ProcFs.state(command.pid()).isEmpty());
        run.signal("USR1");
        run.signal("HUP");

        Waits.until("the lines of the time without a log command, then the new generation's, in the log",
                () -> read(log).filter(s -> s.contains("log command " + command.pid() + " exited, status:15")
                        && s.contains("received USR1, restarted log command (pid ")
                        && s.contains("received HUP, spawning a new worker\n") && s.contains(" gen 2 serving\n")),
                run::describe);
        // Generation 1 gets its TERM once generation 2 serves, and is a zombie until start_server
        // reaps it: what must not stay is a zombie, of it or of either log command.
        Waits.until("no zombie child left",
                () -> ProcFs.zombieChildren(run.pid()).isEmpty() ? Optional.of(true) : Optional.empty(),
                () -> "zombies: " + ProcFs.zombieChildren(run.pid()) + "\n" + run.describe());
    }

    @Test
    void usr1ReopensTheLogFileForLogrotate() throws Exception {
        Impl.assumeOurs("the original dies on SIGUSR1 without cleaning up");
        Path log = tmp.resolve("server.log");
        Path rotated = tmp.resolve("server.log.1");
        StartServerRun run = fixture("--interval=0", "--log-file=" + log).start();
        Waits.until("gen 1 in the log", () -> read(log).filter(s -> s.contains(" gen 1 serving\n")), run::describe);

        Files.move(log, rotated);
        run.signal("USR1");
        Waits.until("a new log file", () -> Files.exists(log));
        run.signal("HUP");

        Waits.until("gen 2 in the new log", () -> read(log).filter(s -> s.contains("received HUP, spawning a new worker\n")
                && s.contains(" gen 2 serving\n")), run::describe);
        assertThat(Files.readString(rotated)).doesNotContain("received HUP");
        assertThat(run.isAlive()).isTrue();
    }

    @Test
    void daemonizeDetachesAndKeepsServing() throws Exception {
        Path log = tmp.resolve("daemon.log");
        Path pidFile = tmp.resolve("daemon.pid");
        StartServerRun run = fixture("--interval=0", "--daemonize", "--log-file=" + log, "--pid-file=" + pidFile).start();

        assertThat(run.awaitExit()).isZero();
        String pidText = Waits.until("the daemon's pid file", () -> read(pidFile).filter(s -> s.endsWith("\n")), run::describe);
        long daemon = Long.parseLong(pidText.trim());
        launcher.adopt(daemon);
        assertThat(daemon).isNotEqualTo(run.pid());
        ProcessHandle handle = ProcessHandle.of(daemon).orElseThrow();
        Client.Answer answer = Client.awaitAnswer(run, port);
        assertThat(answer.generation()).isEqualTo(1);
        assertThat(ProcessHandle.of(answer.pid()).flatMap(ProcessHandle::parent).map(ProcessHandle::pid)).contains(daemon);

        // fork, setsid, fork: a new session it does not lead, so it can never get a terminal back.
        String stat = Files.readString(Path.of("/proc", Long.toString(daemon), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long sid = Long.parseLong(f[3]);
        assertThat(sid).isNotEqualTo(daemon).isNotEqualTo(sidOf(ProcessHandle.current().pid()));
        assertThat(Files.readSymbolicLink(Path.of("/proc", Long.toString(daemon), "fd", "0")).toString()).isEqualTo("/dev/null");

        Processes.signal(daemon, "TERM");
        handle.onExit().get(Waits.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        Waits.until("the pid file removed", () -> !Files.exists(pidFile));
        assertThat(Files.readString(log)).contains("starting new worker", "exiting");
    }

    @Test
    void daemonizeReturnsWithTheSocketsAlreadyListening() throws Exception {
        // "start_server --daemonize ... && curl ..." must work: bound before the foreground exits.
        StartServerRun run = fixture("--interval=3", "--daemonize", "--log-file=" + tmp.resolve("d.log"),
                "--pid-file=" + tmp.resolve("d.pid")).start();

        assertThat(run.awaitExit()).isZero();
        assertThat(Client.refused(port)).as("connection refused right after the foreground exited").isFalse();
        launcher.adopt(Long.parseLong(Waits.until("the daemon's pid file",
                () -> read(tmp.resolve("d.pid")).filter(s -> s.endsWith("\n")), run::describe).trim()));
    }

    @Test
    void daemonizeKeepsRelativePathsAndTheWorkingDirectory() throws Exception {
        Path work = Files.createDirectory(tmp.resolve("work"));
        List<String> args = new ArrayList<>(List.of("--port=127.0.0.1:" + port, "--interval=0", "--daemonize",
                "--log-file=rel.log", "--pid-file=rel.pid", "--status-file=rel.status", "--"));
        args.addAll(Fixtures.pythonServer());
        StartServerRun run = launcher.spec().args(args).dir(work).env("FIXTURE_REPORT_DIR", tmp.toString()).start();

        assertThat(run.awaitExit()).isZero();
        long daemon = Long.parseLong(Waits.until("rel.pid in start_server's directory",
                () -> read(work.resolve("rel.pid")).filter(s -> s.endsWith("\n")), run::describe).trim());
        launcher.adopt(daemon);
        ChildReport report = ChildReport.await(tmp, 1, run);
        assertThat(Path.of(report.info.get("cwd"))).isEqualTo(work.toRealPath());
        Waits.until("rel.status and rel.log in start_server's directory",
                () -> Files.exists(work.resolve("rel.status")) && read(work.resolve("rel.log")).filter(s -> s.contains("starting new worker")).isPresent());
    }

    @Test
    void daemonizeReportsABindErrorInTheForeground() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket()) {
            taken.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            List<String> args = new ArrayList<>(List.of("--port=127.0.0.1:" + taken.getLocalPort(), "--interval=0", "--daemonize",
                    "--log-file=" + tmp.resolve("d.log"), "--pid-file=" + tmp.resolve("d.pid"), "--"));
            args.addAll(Fixtures.pythonServer());
            StartServerRun run = launcher.spec().args(args).start();

            assertThat(run.awaitExit()).isNotZero();
            assertThat(String.join("\n", run.stderr())).contains(Integer.toString(taken.getLocalPort()));
            assertThat(tmp.resolve("d.pid")).doesNotExist();
        }
    }

    @Test
    void aForgedDaemonHandOverIsRefused() throws Exception {
        Impl.assumeOurs("the original has no such variable");
        // --daemonize's hand-over, set by hand: fd 2 (stderr) would become the children's listener.
        StartServerRun run = fixture("--interval=0", "--daemonize", "--log-file=" + tmp.resolve("d.log"),
                "--pid-file=" + tmp.resolve("d.pid")).env("START_SERVER_DAEMON_FDS", "2").start();

        assertThat(run.awaitExit()).isEqualTo(2);
        assertThat(run.stderr()).as(run.describe()).containsExactly("start_server: START_SERVER_DAEMON_FDS names fd 2 for"
                + " 127.0.0.1:" + port + ", but fd 2 is not a socket (the variable is --daemonize's own, not to be set by hand)");
        assertThat(Client.refused(port)).isTrue();
        assertThat(tmp.resolve("d.pid")).doesNotExist();
    }

    @Test
    void theDaemonHandOverCountsOnlyWithDaemonize() throws Exception {
        // Without --daemonize the variable is nobody's: start_server binds as usual (the original ignores it too).
        StartServerRun run = fixture("--interval=0").env("START_SERVER_DAEMON_FDS", "2").env("FIXTURE_REPORT_DIR", tmp.toString())
                .start();

        assertThat(Client.awaitAnswer(run, port).generation()).isEqualTo(1);
        if (launcher.impl() == Impl.OURS) {
            assertThat(ChildReport.await(tmp, 1, run).env).doesNotContainKey("START_SERVER_DAEMON_FDS");
        }
    }

    @Test
    void daemonizeKeepsASocketOnFdZero() throws Exception {
        Path log = tmp.resolve("daemon.log");
        Path pidFile = tmp.resolve("daemon.pid");
        List<String> args = new ArrayList<>(List.of("--port=127.0.0.1:" + port + "=0", "--interval=0", "--daemonize",
                "--log-file=" + log, "--pid-file=" + pidFile, "--"));
        args.addAll(Fixtures.pythonServer());
        StartServerRun run = launcher.spec().args(args).env("FIXTURE_REPORT_DIR", tmp.toString()).start();

        assertThat(run.awaitExit()).isZero();
        long daemon = Long.parseLong(Waits.until("the daemon's pid file", () -> read(pidFile).filter(s -> s.endsWith("\n")), run::describe).trim());
        launcher.adopt(daemon);

        // What counts is what the server gets: the socket on its stdin, not /dev/null.
        ChildReport report = ChildReport.await(tmp, 1, run);
        assertThat(report.fds.get(0)).startsWith("socket:");
        assertThat(report.ports().values()).containsExactly(0);
        assertThat(Client.awaitAnswer(run, port).generation()).isEqualTo(1);
    }

    private static long sidOf(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[3]);
    }
}
