package io.github.hotdeploy.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotdeploy.testsupport.FreePorts;
import io.github.hotdeploy.testsupport.StartServerRun;
import io.github.hotdeploy.testsupport.Waits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What each generation is given (spec "Environment given to each generation"): variables, fds,
 * signal dispositions, working directory, process group.
 */
class EnvironmentIT {
    /** Bits of /proc/PID/status masks: bit n-1 stands for signal n. */
    private static final long SIGPIPE_BIT = 1L << (13 - 1);
    private static final long SIGXFSZ_BIT = 1L << (25 - 1);
    /**
     * Signals 32 and 33 belong to glibc (thread cancellation, setxid): no program built on it can
     * see or change them, so whether they arrive ignored is nobody's concern here.
     */
    private static final long GLIBC_INTERNAL = (1L << 31) | (1L << 32);

    @RegisterExtension
    final Launcher launcher = new Launcher();

    @TempDir
    Path tmp;

    private Launcher.Spec fixture(String... options) {
        List<String> args = new ArrayList<>(List.of(options));
        args.add("--");
        args.addAll(Fixtures.pythonServer());
        return launcher.spec().args(args).env("FIXTURE_REPORT_DIR", tmp.toString());
    }

    @Test
    void theChildGetsStartServersEnvironmentPlusPortAndGeneration() {
        int port = FreePorts.tcp();
        StartServerRun run = fixture("--port=127.0.0.1:" + port, "--interval=0").env("SOME_SETTING", "a value; with = signs")
                .env("MULTI_LINE", "one\ntwo\tthree").start();
        ChildReport report = ChildReport.await(tmp, 1, run);

        assertThat(report.env)
                .containsEntry("SOME_SETTING", "a value; with = signs")
                .containsEntry("MULTI_LINE", "one\ntwo\tthree")
                .containsEntry("SERVER_STARTER_GENERATION", "1")
                .containsKey("SERVER_STARTER_PORT")
                .containsEntry("PATH", System.getenv("PATH"))
                .doesNotContainKeys("ENVDIR", "ENABLE_AUTO_RESTART", "KILL_OLD_DELAY", "AUTO_RESTART_INTERVAL");
        assertThat(report.ports()).containsOnlyKeys("127.0.0.1:" + port);
    }

    @Test
    void timerAndEnvdirOptionsAreExportedToTheChild() throws Exception {
        Path envdir = Files.createDirectory(tmp.resolve("env"));
        StartServerRun run = fixture("--interval=0", "--envdir=" + envdir, "--enable-auto-restart",
                "--auto-restart-interval=3600", "--kill-old-delay=4").start();
        ChildReport report = ChildReport.await(tmp, 1, run);

        assertThat(report.env)
                .containsEntry("ENVDIR", envdir.toString())
                .containsEntry("ENABLE_AUTO_RESTART", "1")
                .containsEntry("AUTO_RESTART_INTERVAL", "3600")
                .containsEntry("KILL_OLD_DELAY", "4");
    }

    @Test
    void envdirFilesBecomeVariablesFromTheirFirstLine() throws Exception {
        Path envdir = Files.createDirectory(tmp.resolve("env"));
        Files.writeString(envdir.resolve("GREETING"), "hello world\nsecond line is ignored\n");
        Files.writeString(envdir.resolve("NO_NEWLINE"), "bare");
        Files.writeString(envdir.resolve("EMPTY"), "");
        Files.writeString(envdir.resolve(".hidden"), "dot files are not variables\n");
        StartServerRun run = fixture("--interval=0", "--envdir=" + envdir).env("EMPTY", "from start_server").start();
        ChildReport report = ChildReport.await(tmp, 1, run);

        assertThat(report.env)
                .containsEntry("GREETING", "hello world")
                .containsEntry("NO_NEWLINE", "bare")
                // An empty file is skipped: the variable keeps what start_server had.
                .containsEntry("EMPTY", "from start_server")
                .doesNotContainKey(".hidden");
    }

    @Test
    void anEnvdirValueIsItsFirstLineExactlyWithoutTrimming() throws Exception {
        Path envdir = Files.createDirectory(tmp.resolve("env"));
        Files.writeString(envdir.resolve("SPACED"), "  two spaces each side  \n");
        Files.writeString(envdir.resolve("CRLF"), "dos\r\n");
        Files.writeString(envdir.resolve("BLANK_FIRST_LINE"), "\nthe second line\n");
        StartServerRun run = fixture("--interval=0", "--envdir=" + envdir).start();
        ChildReport report = ChildReport.await(tmp, 1, run);

        // Only the newline goes (Perl's chomp); a blank first line is a value, not an empty file.
        assertThat(report.env)
                .containsEntry("SPACED", "  two spaces each side  ")
                .containsEntry("CRLF", "dos\r")
                .containsEntry("BLANK_FIRST_LINE", "");
    }

    @Test
    void aDirectoryInTheEnvdirIsNoVariable() throws Exception {
        Path envdir = Files.createDirectory(tmp.resolve("env"));
        Files.createDirectory(envdir.resolve("SUBDIR"));
        Files.writeString(envdir.resolve("REAL"), "yes\n");
        StartServerRun run = fixture("--interval=0", "--envdir=" + envdir).start();
        ChildReport report = ChildReport.await(tmp, 1, run);

        assertThat(report.env).containsEntry("REAL", "yes").doesNotContainKey("SUBDIR");
    }

    @Test
    void envdirIsReadAgainBeforeEverySpawn() throws Exception {
        Path envdir = Files.createDirectory(tmp.resolve("env"));
        Files.writeString(envdir.resolve("VERSION"), "1\n");
        StartServerRun run = fixture("--interval=0", "--envdir=" + envdir).start();
        assertThat(ChildReport.await(tmp, 1, run).env).containsEntry("VERSION", "1").doesNotContainKey("LATE");
        run.awaitServing(1);

        Files.writeString(envdir.resolve("VERSION"), "2\n");
        Files.writeString(envdir.resolve("LATE"), "added\n");
        run.signal("HUP");
        assertThat(ChildReport.await(tmp, 2, run).env).containsEntry("VERSION", "2").containsEntry("LATE", "added");
        run.awaitServing(2);

        Files.delete(envdir.resolve("LATE"));
        run.signal("HUP");
        // A removed file takes its variable away again.
        assertThat(ChildReport.await(tmp, 3, run).env).containsEntry("VERSION", "2").doesNotContainKey("LATE");
    }

    /** A child that writes the named variables' bytes to files in $OUT, then serves nothing. */
    private static List<String> dumper(String... names) {
        StringBuilder script = new StringBuilder();
        for (String name : names) {
            script.append("printf '%s' \"$").append(name).append("\" > \"$OUT/").append(name).append(".tmp\"; mv \"$OUT/")
                    .append(name).append(".tmp\" \"$OUT/").append(name).append("\"; ");
        }
        return List.of("sh", "-c", script + "exec sleep 600");
    }

    @Test
    void envdirValuesReachTheChildByteForByte() throws Exception {
        Path envdir = Files.createDirectory(tmp.resolve("env"));
        Path out = Files.createDirectory(tmp.resolve("out"));
        byte[] big = "x".repeat(100_000).getBytes(StandardCharsets.US_ASCII); // more than 64 KiB
        byte[] binary = {(byte) 0xff, (byte) 0xfe, 'c', 'a', 'f', (byte) 0xc3, (byte) 0xa9, (byte) 0x80};
        Files.write(envdir.resolve("BIG"), concat(big, new byte[] {'\n'}));
        Files.write(envdir.resolve("BINARY"), concat(binary, new byte[] {'\n', 'x'}));
        Files.write(envdir.resolve("WITH_NUL"), new byte[] {'a', 0, 'b', '\n'});
        List<String> args = new ArrayList<>(List.of("--interval=0", "--envdir=" + envdir, "--"));
        args.addAll(dumper("BIG", "BINARY", "WITH_NUL"));
        StartServerRun run = launcher.spec().args(args).env("OUT", out.toString()).start();

        Waits.until("the child's copies", () -> java.util.Optional.of(out.resolve("WITH_NUL")).filter(Files::exists),
                run::describe);
        assertThat(Files.readAllBytes(out.resolve("BIG"))).isEqualTo(big);
        assertThat(Files.readAllBytes(out.resolve("BINARY"))).isEqualTo(binary);
        // The kernel's environment strings end at NUL: so does the value, with the original too.
        assertThat(Files.readAllBytes(out.resolve("WITH_NUL"))).isEqualTo(new byte[] {'a'});
    }

    @Test
    void startServersOwnEnvironmentReachesTheChildByteForByte() throws Exception {
        Path out = Files.createDirectory(tmp.resolve("out"));
        List<String> args = new ArrayList<>(List.of("--interval=0", "--"));
        args.addAll(dumper("RAW"));
        // Not valid UTF-8: a JVM's System.getenv() has it as U+FFFD, for good.
        StartServerRun run = launcher.spec().shell("export RAW=\"$(printf 'caf\\351 \\377')\"").args(args)
                .env("OUT", out.toString()).start();

        Waits.until("the child's copy", () -> java.util.Optional.of(out.resolve("RAW")).filter(Files::exists),
                run::describe);
        assertThat(Files.readAllBytes(out.resolve("RAW"))).isEqualTo(new byte[] {'c', 'a', 'f', (byte) 0xe9, ' ', (byte) 0xff});
    }

    @Test
    void anEnvdirValueTooLongForTheKernelIsAnErrorNamingTheFile() throws Exception {
        Impl.assumeOurs("the original's exec fails with E2BIG, and it retries for ever");
        Path envdir = Files.createDirectory(tmp.resolve("env"));
        Files.writeString(envdir.resolve("HUGE"), "y".repeat(200_000) + "\n");
        StartServerRun run = fixture("--interval=0", "--envdir=" + envdir).start();

        assertThat(run.awaitExit()).isEqualTo(2);
        assertThat(run.stderr()).as(run.describe()).containsExactly("start_server: envdir file " + envdir.resolve("HUGE")
                + ": its first line is longer than the kernel takes for a variable (131072 bytes with its name)");
    }

    @Test
    void aFileRemovedFromTheEnvdirTakesItsVariableBackToWhatStartServerHad() throws Exception {
        Impl.assumeOurs("the original keeps the values it loaded at start for ever (its Changes 0.16 say otherwise)");
        Path envdir = Files.createDirectory(tmp.resolve("env"));
        Files.writeString(envdir.resolve("OVERRIDDEN"), "from the envdir\n");
        Files.writeString(envdir.resolve("ONLY_IN_ENVDIR"), "from the envdir\n");
        StartServerRun run = fixture("--interval=0", "--envdir=" + envdir).env("OVERRIDDEN", "inherited").start();
        assertThat(ChildReport.await(tmp, 1, run).env).containsEntry("OVERRIDDEN", "from the envdir")
                .containsEntry("ONLY_IN_ENVDIR", "from the envdir");
        run.awaitServing(1);

        Files.delete(envdir.resolve("OVERRIDDEN"));
        Files.delete(envdir.resolve("ONLY_IN_ENVDIR"));
        run.signal("HUP");

        assertThat(ChildReport.await(tmp, 2, run).env).containsEntry("OVERRIDDEN", "inherited")
                .doesNotContainKey("ONLY_IN_ENVDIR");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void theEnvdirVariableItselfNamesTheDirectory() throws Exception {
        Path envdir = Files.createDirectory(tmp.resolve("env"));
        Files.writeString(envdir.resolve("FROM_ENVDIR"), "yes\n");
        StartServerRun run = fixture("--interval=0").env("ENVDIR", envdir.toString()).start();

        assertThat(ChildReport.await(tmp, 1, run).env).containsEntry("FROM_ENVDIR", "yes").containsEntry("ENVDIR", envdir.toString());
    }

    @Test
    void envdirCanSetStartServersOwnTimers() throws Exception {
        // The original reads KILL_OLD_DELAY from its environment after loading the envdir.
        Path envdir = Files.createDirectory(tmp.resolve("env"));
        Files.writeString(envdir.resolve("KILL_OLD_DELAY"), "1\n");
        StartServerRun run = fixture("--interval=0", "--envdir=" + envdir).start();
        run.awaitServing(1);

        run.signal("HUP");

        run.awaitLine("^sleeping 1 secs before killing old workers$");
    }

    @Test
    void theChildGetsStdioAndTheListeningSocketsAndNothingElse() throws Exception {
        Impl.assumeOurs("exactly-these-fds is an [ours] guarantee (the original happens to leak nothing either; see CrossCheckIT)");
        int port = FreePorts.tcp();
        Path sock = tmp.resolve("s.sock");
        StartServerRun run = fixture("--port=127.0.0.1:" + port, "--port=127.0.0.1:" + FreePorts.tcp() + "=9",
                "--path=" + sock, "--pid-file=" + tmp.resolve("pid"), "--status-file=" + tmp.resolve("status"),
                "--log-file=" + tmp.resolve("log"), "--interval=0").start();
        ChildReport report = ChildReport.await(tmp, 1, run);

        assertThat(report.fds.keySet()).containsExactlyInAnyOrderElementsOf(stdioSocketsAndNotify(report));
        assertThat(report.ports().values()).contains(9);
    }

    /**
     * 0-2, the sockets, and (ours, unless --java-agent=off) the notify socket that the agent of
     * any JVM the program starts reports on.
     */
    private static List<Integer> stdioSocketsAndNotify(ChildReport report) {
        List<Integer> expected = new ArrayList<>(List.of(0, 1, 2));
        expected.addAll(report.ports().values());
        String notify = report.env.get("SERVER_STARTER_NOTIFY_FD");
        if (notify != null) {
            expected.add(Integer.parseInt(notify));
        }
        return expected;
    }

    @Test
    void withTheAgentOffTheChildGetsExactlyWhatTheOriginalGives() throws Exception {
        Impl.assumeOurs("--java-agent is ours");
        int port = FreePorts.tcp();
        StartServerRun run = fixture("--port=127.0.0.1:" + port, "--interval=0", "--java-agent=off").start();
        ChildReport report = ChildReport.await(tmp, 1, run);

        List<Integer> expected = new ArrayList<>(List.of(0, 1, 2));
        expected.addAll(report.ports().values());
        assertThat(report.fds.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(report.env).doesNotContainKeys("JAVA_TOOL_OPTIONS", "NOTIFY_SOCKET", "SERVER_STARTER_NOTIFY_FD",
                "SERVER_STARTER_EXTRA_PORT");
    }

    @Test
    void anyProgramGetsTheAgentForTheJvmsItMayStart() throws Exception {
        Impl.assumeOurs("the agent is ours");
        int port = FreePorts.tcp();
        StartServerRun run = fixture("--port=127.0.0.1:" + port, "--interval=0").start();
        ChildReport report = ChildReport.await(tmp, 1, run);

        assertThat(report.env.get("JAVA_TOOL_OPTIONS")).startsWith("-javaagent:").contains("server-starter-agent.jar");
        assertThat(report.env).containsKeys("NOTIFY_SOCKET", "SERVER_STARTER_NOTIFY_FD");
    }

    @Test
    void aDaemonWithAPipedLogStillHandsOnlyItsFds() throws Exception {
        Impl.assumeOurs("exactly-these-fds is an [ours] guarantee");
        int port = FreePorts.tcp();
        Path pid = tmp.resolve("pid");
        StartServerRun run = fixture("--port=127.0.0.1:" + port, "--interval=0", "--daemonize", "--pid-file=" + pid,
                "--log-file=| cat >> '" + tmp.resolve("log") + "'").start();
        assertThat(run.awaitExit()).isZero();
        launcher.adopt(Long.parseLong(Waits.until("the pid file", () -> FilesIT.read(pid).filter(s -> s.endsWith("\n")), run::describe).trim()));
        ChildReport report = ChildReport.await(tmp, 1, run);

        assertThat(report.fds.keySet()).containsExactlyInAnyOrderElementsOf(stdioSocketsAndNotify(report));
        assertThat(report.fds.get(1)).startsWith("pipe:");
    }

    @Test
    void theOriginalLeaksNoFdEither() throws Exception {
        // Same check as above without the [ours] skip: documents that matching it costs nothing.
        int port = FreePorts.tcp();
        StartServerRun run = fixture("--port=127.0.0.1:" + port, "--interval=0", "--pid-file=" + tmp.resolve("pid")).start();
        ChildReport report = ChildReport.await(tmp, 1, run);

        assertThat(report.fds.keySet()).containsExactlyInAnyOrderElementsOf(stdioSocketsAndNotify(report));
    }

    @Test
    void noSignalIsBlockedOrIgnoredExceptWhatPythonIgnoresItself() {
        StartServerRun run = fixture("--interval=0").signals().start();
        ChildReport report = ChildReport.await(tmp, 1, run);

        assertThat(report.mask("SigBlk")).as("blocked signals").isZero();
        // CPython ignores PIPE and XFSZ at start-up whatever it inherits: see the shell probe below.
        assertThat(report.mask("SigIgn") & ~(SIGPIPE_BIT | SIGXFSZ_BIT) & ~GLIBC_INTERNAL).as("ignored signals").isZero();
    }

    @Test
    void sigpipeIsIgnoredAndNothingElseAsAShellSeesIt() throws Exception {
        Map<String, String> masks = shellProbe(launcher.spec().signals());

        assertThat(Long.parseUnsignedLong(masks.get("SigIgn"), 16) & ~GLIBC_INTERNAL).as("ignored signals").isEqualTo(SIGPIPE_BIT);
        assertThat(Long.parseUnsignedLong(masks.get("SigBlk"), 16)).as("blocked signals").isZero();
    }

    @Test
    void inheritedIgnoredAndBlockedSignalsAreResetForTheChild() throws Exception {
        Impl.assumeOurs("the original passes on whatever mask and ignored signals it inherited "
                + "(from a JVM parent: SIGQUIT blocked), against the spec's 'default and unblocked'");
        Map<String, String> masks = shellProbe(launcher.spec().signals("--ignore", "USR2", "--ignore", "HUP", "--block", "USR1", "--block", "QUIT"));

        assertThat(Long.parseUnsignedLong(masks.get("SigIgn"), 16) & ~GLIBC_INTERNAL).as("ignored signals").isEqualTo(SIGPIPE_BIT);
        assertThat(Long.parseUnsignedLong(masks.get("SigBlk"), 16)).as("blocked signals").isZero();
    }

    /** Runs a shell as the server that records its signal masks, and returns them. */
    private Map<String, String> shellProbe(Launcher.Spec spec) {
        // grep forked by sh inherits the dispositions sh got, untouched by any runtime's start-up.
        Path out = tmp.resolve("sig.txt");
        StartServerRun run = spec.args("--interval=0", "--", "/bin/sh", "-c",
                "grep ^Sig /proc/self/status > \"$0.tmp\" && mv \"$0.tmp\" \"$0\"; exec sleep 600", out.toString()).start();
        return Waits.until("the shell's signal masks", () -> {
            if (!Files.exists(out)) {
                return java.util.Optional.empty();
            }
            Map<String, String> m = new java.util.HashMap<>();
            for (String line : Files.readAllLines(out)) {
                String[] kv = line.split(":\\s*", 2);
                m.put(kv[0], kv[1].trim());
            }
            return java.util.Optional.of(m);
        }, run::describe);
    }

    @Test
    void theChildIsInStartServersProcessGroupAndIsItsChild() {
        StartServerRun run = fixture("--interval=0").start();
        ChildReport report = ChildReport.await(tmp, 1, run);

        assertThat(report.info.get("ppid")).isEqualTo(Long.toString(run.pid()));
        assertThat(report.info.get("pgid")).isEqualTo(Long.toString(pgid(run.pid())));
    }

    @Test
    void dirIsTheChildsWorkingDirectoryNotStartServers() throws Exception {
        Path work = Files.createDirectory(tmp.resolve("work"));
        Path own = Files.createDirectory(tmp.resolve("own"));
        StartServerRun run = fixture("--interval=0", "--dir=" + work).dir(own).start();
        ChildReport report = ChildReport.await(tmp, 1, run);

        assertThat(Path.of(report.info.get("cwd"))).isEqualTo(work.toRealPath());
    }

    @Test
    void aRelativeProgramIsFoundFromDir() throws Exception {
        // The original chdirs, then execs: "./run.sh" means the one in --dir.
        Path work = Files.createDirectory(tmp.resolve("work"));
        Path own = Files.createDirectory(tmp.resolve("own"));
        Path script = work.resolve("run.sh");
        Files.writeString(script, "#!/bin/sh\nexec " + String.join(" ", Fixtures.pythonServer()) + "\n");
        Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        StartServerRun run = launcher.spec().args("--interval=0", "--dir=" + work, "--", "./run.sh")
                .dir(own).env("FIXTURE_REPORT_DIR", tmp.toString()).start();
        ChildReport report = ChildReport.await(tmp, 1, run);

        assertThat(Path.of(report.info.get("cwd"))).isEqualTo(work.toRealPath());
    }

    @Test
    void aBareProgramNameIsLookedUpOnThePath() {
        StartServerRun run = launcher.spec().args("--interval=0", "--", "python3", Fixtures.resource("fixture_server.py").toString())
                .env("FIXTURE_REPORT_DIR", tmp.toString()).start();

        assertThat(ChildReport.await(tmp, 1, run).env).containsEntry("SERVER_STARTER_GENERATION", "1");
    }

    @Test
    void withoutDirTheChildInheritsStartServersWorkingDirectory() throws Exception {
        Path own = Files.createDirectory(tmp.resolve("own"));
        StartServerRun run = fixture("--interval=0").dir(own).start();
        ChildReport report = ChildReport.await(tmp, 1, run);

        assertThat(Path.of(report.info.get("cwd"))).isEqualTo(own.toRealPath());
    }

    @Test
    void programArgumentsArePassedAsIsWithoutAShell() {
        List<String> args = new ArrayList<>(List.of("--interval=0", "--"));
        args.addAll(Fixtures.pythonServer("two words", "$HOME", "*", "--port=1"));
        StartServerRun run = launcher.spec().args(args).env("FIXTURE_REPORT_DIR", tmp.toString()).start();
        ChildReport report = ChildReport.await(tmp, 1, run);

        // The fixture joins its argv with spaces.
        assertThat(report.info.get("argv")).isEqualTo("two words $HOME * --port=1");
    }

    private static long pgid(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[2]);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
