package io.github.hotdeploy.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotdeploy.testsupport.FreePorts;
import io.github.hotdeploy.testsupport.StartServerRun;
import io.github.hotdeploy.testsupport.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as the original's Getopt::Long reads it (spec "Command line" and "Timers"):
 * --help, --version, option spellings, environment overrides and the auto-restart timers.
 */
class CommandLineIT {
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
    void helpPrintsUsageAndExitsZero() {
        StartServerRun run = launcher.run("--help");

        assertThat(run.exitValue()).isZero();
        assertThat(String.join("\n", run.output())).contains("--port", "--signal-on-hup", "--pid-file");
    }

    @Test
    void versionPrintsOneLineAndExitsZero() {
        StartServerRun run = launcher.run("--version");

        assertThat(run.exitValue()).isZero();
        assertThat(run.stdout()).hasSize(1).allMatch(l -> l.matches(".*\\d+\\.\\d+.*"));
    }

    @Test
    void anUnknownOptionExitsOneNamingIt() {
        StartServerRun run = launcher.run("--no-such-option", "--", "true");

        assertThat(run.exitValue()).isEqualTo(1);
        assertThat(run.stderr()).anyMatch(l -> l.contains("no-such-option"));
        assertThat(run.output()).noneMatch(l -> l.contains("starting now"));
    }

    @Test
    void twoSocketsAskingForTheSameFdIsAUsageError() {
        Impl.assumeOurs("the original dup2s both to the fd, announces both there and serves only the second");
        StartServerRun run = launcher.run("--port=127.0.0.1:" + FreePorts.tcp() + "=5", "--port=127.0.0.1:" + FreePorts.tcp() + "=5",
                "--", "true");

        assertThat(run.exitValue()).isEqualTo(1);
        assertThat(run.stderr()).hasSize(1);
        assertThat(run.stderr().get(0)).contains("fd 5 is already taken");
    }

    @Test
    void noProgramIsAnError() {
        StartServerRun run = launcher.run("--interval=0");

        assertThat(run.exitValue()).isNotZero();
        assertThat(run.stderr()).anyMatch(l -> l.contains("server program not specified"));
    }

    @Test
    void optionsTakeTheirValueAfterEqualsOrAsTheNextArgument() throws Exception {
        Path status = tmp.resolve("status");
        int port = FreePorts.tcp();
        StartServerRun run = launcher.start(withFixture("--port", "127.0.0.1:" + port, "--interval", "0", "--status-file", status.toString(),
                "--signal-on-hup", "USR1"));
        long first = run.awaitWorker(1);
        run.awaitServing(1);
        Client.awaitAnswer(run, port);
        Waits.until("the status file", () -> Files.exists(status));

        run.signal("HUP");
        run.awaitLine("^new worker is now running, sending USR1 to old workers:" + first + "$");
    }

    @Test
    void optionNamesAreCaseInsensitive() {
        StartServerRun run = launcher.start(withFixture("--Interval=0", "--signal-on-TERM=USR1"));
        long worker = run.awaitWorker(1);
        run.awaitServing(1);

        run.signal("TERM");

        run.awaitLine("^received TERM, sending USR1 to all workers:" + worker + "$");
        assertThat(run.awaitExit()).isZero();
    }

    @Test
    void signalNamesMayBeLowerCaseAndCarryTheSigPrefix() {
        StartServerRun run = launcher.start(withFixture("--interval=0", "--signal-on-hup=sigusr1", "--signal-on-term=usr2"));
        long first = run.awaitWorker(1);
        run.awaitServing(1);

        run.signal("HUP");
        run.awaitLine("^new worker is now running, sending USR1 to old workers:" + first + "$");
        long second = run.awaitServing(2);
        run.signal("TERM");
        run.awaitLine("^received TERM, sending USR2 to all workers:" + second + "$");
        assertThat(run.awaitExit()).isZero();
    }

    @Test
    void aSignalMayBeGivenByNumber() {
        // The original passes the value to kill(), which takes numbers too; 10 is USR1 on Linux.
        StartServerRun run = launcher.start(withFixture("--interval=0", "--signal-on-hup=10"));
        long first = run.awaitWorker(1);
        run.awaitServing(1);

        run.signal("HUP");

        run.awaitLine("^fixture " + first + " gen 1 received SIGUSR1$");
        run.awaitLine("^old worker " + first + " died, status:0$");
    }

    @Test
    void enableAutoRestartZeroInTheEnvironmentMeansOff() {
        // Perl truth: "0" and "" are false. With auto-restart off the default delay is 0, so a HUP
        // retires the old generation without "sleeping 5 secs".
        StartServerRun run = launcher.spec().args(withFixture("--interval=0")).env("ENABLE_AUTO_RESTART", "0").start();
        long first = run.awaitWorker(1);
        run.awaitServing(1);

        run.signal("HUP");

        run.awaitLine("^old worker " + first + " died, status:0$");
        assertThat(run.output()).noneMatch(l -> l.startsWith("sleeping") || l.startsWith("autorestart"));
    }

    @Test
    void killOldDelayZeroInTheEnvironmentOverridesTheAutoRestartDefault() {
        StartServerRun run = launcher.spec().args(withFixture("--interval=0", "--enable-auto-restart", "--auto-restart-interval=3600"))
                .env("KILL_OLD_DELAY", "0").start();
        long first = run.awaitWorker(1);
        run.awaitServing(1);

        run.signal("HUP");

        run.awaitLine("^old worker " + first + " died, status:0$");
        assertThat(run.output()).noneMatch(l -> l.startsWith("sleeping"));
    }

    @Test
    void uniqueAbbreviationsAreAccepted() throws Exception {
        Path pid = tmp.resolve("pid");
        Path status = tmp.resolve("status");
        StartServerRun run = launcher.start(withFixture("--inter=0", "--pid=" + pid, "--stat=" + status, "--signal-on-h=USR1"));
        long first = run.awaitWorker(1);
        run.awaitServing(1);
        Waits.until("pid and status files", () -> Files.exists(pid) && Files.exists(status));

        run.signal("HUP");
        run.awaitLine("^new worker is now running, sending USR1 to old workers:" + first + "$");
    }

    @Test
    void abbreviationsUniqueAmongTheOriginalsOptionsStayAccepted() {
        // Options of our own must not make an abbreviation that works with the original ambiguous.
        StartServerRun run = launcher.start(withFixture("--interval=0", "--kill=1"));
        run.awaitServing(1);

        run.signal("HUP");

        run.awaitLine("^sleeping 1 secs before killing old workers$");
    }

    @Test
    void aRepeatedSingleValueOptionTakesTheLastValue() {
        // Getopt::Long stores each occurrence in turn: the last one wins, no error.
        StartServerRun run = launcher.start(withFixture("--interval=5", "--interval=0", "--kill-old-delay=7", "--kill-old-delay=1"));
        run.awaitServing(1);

        run.signal("HUP");

        run.awaitLine("^sleeping 1 secs before killing old workers$");
    }

    @Test
    void aNonNumberForANumericOptionExitsOne() {
        for (String option : List.of("--interval=abc", "--backlog=x", "--kill-old-delay=later")) {
            StartServerRun run = launcher.run(option, "--", "true");

            assertThat(run.exitValue()).as(option).isEqualTo(1);
            assertThat(run.output()).as(option).noneMatch(l -> l.contains("starting now"));
        }
    }

    @Test
    void aNonNumberForTheAutoRestartIntervalExitsOne() {
        StartServerRun run = launcher.run("--auto-restart-interval=soon", "--", "true");

        assertThat(run.exitValue()).isEqualTo(1);
        assertThat(run.output()).noneMatch(l -> l.contains("starting now"));
    }

    @Test
    void optionsAfterTheProgramNameAreStillStartServers() {
        // Getopt::Long permutes: without "--", an option anywhere belongs to start_server, so
        // "start_server prog --port=P" binds P. (The man page's "--" form is what avoids this.)
        int port = FreePorts.tcp();
        List<String> args = new ArrayList<>(Fixtures.pythonServer());
        args.add("--port=127.0.0.1:" + port);
        args.add("--interval=0");
        StartServerRun run = launcher.spec().args(args).env("FIXTURE_REPORT_DIR", tmp.toString()).start();
        ChildReport report = ChildReport.await(tmp, 1, run);

        assertThat(report.ports()).containsOnlyKeys("127.0.0.1:" + port);
        assertThat(report.info.get("argv")).isEmpty();
    }

    @Test
    void anAmbiguousAbbreviationIsAnError() {
        StartServerRun run = launcher.run("--signal-on=TERM", "--", "true");

        assertThat(run.exitValue()).isEqualTo(1);
        assertThat(run.stderr()).anyMatch(l -> l.contains("signal-on"));
        assertThat(run.output()).noneMatch(l -> l.contains("starting now"));
    }

    @Test
    void repeatedPortAndPathOptionsAllCount() {
        int a = FreePorts.tcp();
        int b = FreePorts.tcp();
        StartServerRun run = launcher.spec().args(withFixture("--port=127.0.0.1:" + a, "--port=127.0.0.1:" + b,
                "--path=" + tmp.resolve("x.sock"), "--path=" + tmp.resolve("y.sock"), "--interval=0"))
                .env("FIXTURE_REPORT_DIR", tmp.toString()).start();

        assertThat(ChildReport.await(tmp, 1, run).ports()).hasSize(4);
    }

    @Test
    void killOldDelayComesFromTheEnvironment() {
        StartServerRun run = launcher.spec().args(withFixture("--interval=0")).env("KILL_OLD_DELAY", "1").start();
        run.awaitServing(1);

        run.signal("HUP");

        run.awaitLine("^sleeping 1 secs before killing old workers$");
    }

    @Test
    void theKillOldDelayOptionWinsOverTheEnvironment() {
        StartServerRun run = launcher.spec().args(withFixture("--interval=0", "--kill-old-delay=1")).env("KILL_OLD_DELAY", "7").start();
        run.awaitServing(1);

        run.signal("HUP");

        run.awaitLine("^sleeping 1 secs before killing old workers$");
    }

    @Test
    void autoRestartFromTheEnvironmentRestartsOnTheIntervalWithAFiveSecondDefaultDelay() {
        StartServerRun run = launcher.spec().args(withFixture("--interval=0"))
                .env("ENABLE_AUTO_RESTART", "1").env("AUTO_RESTART_INTERVAL", "1").start();
        long first = run.awaitWorker(1);

        run.awaitLine("^autorestart triggered \\(interval=1\\)$");
        run.awaitWorker(2);
        run.awaitLine("^new worker is now running, sending TERM to old workers:" + first + "$");
        run.awaitLine("^sleeping 5 secs before killing old workers$");
    }

    @Test
    void autoRestartOptionsWinOverTheEnvironment() {
        StartServerRun run = launcher.spec().args(withFixture("--interval=0", "--enable-auto-restart", "--auto-restart-interval=1",
                "--kill-old-delay=0")).env("AUTO_RESTART_INTERVAL", "3600").env("KILL_OLD_DELAY", "9").start();
        long first = run.awaitWorker(1);

        run.awaitLine("^autorestart triggered \\(interval=1\\)$");
        run.awaitLine("^new worker is now running, sending TERM to old workers:" + first + "$");
        run.awaitLine("^old worker " + first + " died, status:0$");
        assertThat(run.output()).noneMatch(l -> l.startsWith("sleeping"));
    }

    @Test
    void autoRestartIsForcedAtTwiceTheIntervalWhileAnOldGenerationLingers() {
        // Every generation ignores the HUP signal, so the old one never goes away.
        StartServerRun run = launcher.spec().args(withFixture("--interval=0", "--enable-auto-restart", "--auto-restart-interval=1",
                "--kill-old-delay=0", "--signal-on-hup=USR2")).env("FIXTURE_IGNORE", "USR2").start();

        run.awaitLine("^autorestart triggered \\(interval=1\\)$");
        run.awaitLine("^autorestart triggered \\(forced, interval=1\\)$");
    }

    @Test
    void theEnvdirOptionWinsOverTheEnvdirVariable() throws Exception {
        Path optionDir = Files.createDirectory(tmp.resolve("option"));
        Path variableDir = Files.createDirectory(tmp.resolve("variable"));
        Files.writeString(optionDir.resolve("WHICH"), "option\n");
        Files.writeString(variableDir.resolve("WHICH"), "variable\n");
        StartServerRun run = launcher.spec().args(withFixture("--interval=0", "--envdir=" + optionDir))
                .env("ENVDIR", variableDir.toString()).env("FIXTURE_REPORT_DIR", tmp.toString()).start();

        assertThat(ChildReport.await(tmp, 1, run).env).containsEntry("WHICH", "option").containsEntry("ENVDIR", optionDir.toString());
    }
}
