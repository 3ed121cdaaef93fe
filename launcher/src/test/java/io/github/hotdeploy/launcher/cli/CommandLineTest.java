package io.github.hotdeploy.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hotdeploy.launcher.os.Signals;
import io.github.hotdeploy.launcher.sockets.InetListenSpec;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import io.github.hotdeploy.launcher.MainAccess;
import java.util.List;
import java.util.regex.Pattern;

/** The option model, parsed by the same Main.commandLine that users run. */
class CommandLineTest {

    private static StartServerCommand parse(String... args) {
        return MainAccess.parse(args);
    }

    @Test
    void bothValueFormsRepeatedOptionsAndTheProgram() throws Exception {
        Settings s = parse("--port=8080", "--port", "127.0.0.1:8081", "--interval", "3", "--", "prog", "--flag")
                .settings(Map.of());
        assertThat(s.sockets()).extracting(spec -> ((InetListenSpec) spec).key()).containsExactly("8080", "127.0.0.1:8081");
        assertThat(s.supervision().interval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.supervision().readyInterval()).as("given: it applies to a generation that reports readiness too")
                .isEqualTo(Duration.ofSeconds(3));
        assertThat(s.command()).containsExactly("prog", "--flag");
    }

    @Test
    void withoutIntervalAGenerationThatReportsReadinessHasNoFloor() throws Exception {
        Settings s = parse("prog").settings(Map.of());
        assertThat(s.supervision().interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.supervision().readyInterval()).isZero();
        assertThat(MainAccess.help(200)).contains("(default for it: " + s.supervision().readyInterval().toSeconds() + ")");
    }

    @Test
    void optionNamesAreCaseInsensitiveAndSignalNamesNormalised() throws Exception {
        Settings s = parse("--signal-on-TERM=sigint", "--Signal-On-Hup=usr1", "prog").settings(Map.of());
        assertThat(s.supervision().signalOnTerm().name()).isEqualTo("INT");
        assertThat(s.supervision().signalOnTerm().number()).isEqualTo(Signals.INT);
        assertThat(s.supervision().signalOnHup().number()).isEqualTo(Signals.USR1);
    }

    @Test
    void optionsMayFollowTheProgramAsWithGetoptLongButNotAfterDoubleDash() throws Exception {
        Settings s = parse("--port", "80", "prog", "--port=9", "--", "--port=10").settings(Map.of());
        assertThat(s.sockets()).extracting(spec -> ((InetListenSpec) spec).key()).containsExactly("80", "9");
        assertThat(s.command()).containsExactly("prog", "--port=10");
    }

    @Test
    void environmentVariablesStandInForOptionsAndOptionsWin() throws Exception {
        Map<String, String> env = Map.of("ENABLE_AUTO_RESTART", "1", "KILL_OLD_DELAY", "7", "AUTO_RESTART_INTERVAL", "20");
        Settings fromEnv = parse("prog").settings(env);
        assertThat(fromEnv.supervision().autoRestartInterval()).isEqualTo(Duration.ofSeconds(20));
        assertThat(fromEnv.supervision().killOldDelay()).isEqualTo(Duration.ofSeconds(7));
        Settings fromOptions = parse("--kill-old-delay=2", "--auto-restart-interval=30", "prog").settings(env);
        assertThat(fromOptions.supervision().killOldDelay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(fromOptions.supervision().autoRestartInterval()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void killOldDelayDefaultsToFiveWithAutoRestartOnly() throws Exception {
        assertThat(parse("prog").settings(Map.of()).supervision().killOldDelay()).isZero();
        assertThat(parse("--enable-auto-restart", "prog").settings(Map.of()).supervision().killOldDelay()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void badCombinationsNameTheCulprit() {
        assertThatThrownBy(() -> parse("--daemonize", "prog").settings(Map.of()))
                .hasMessage("--daemonize requires --log-file");
        assertThatThrownBy(() -> parse("--port=80").settings(Map.of())).hasMessage("server program not specified");
        assertThatThrownBy(() -> parse("--restart", "--pid-file=x").settings(Map.of()))
                .hasMessageContaining("requires --pid-file and --status-file");
    }

    @Test
    void singleDashLongOptionsAreAcceptedButTheProgramsArgumentsAreLeftAlone() {
        assertThat(io.github.hotdeploy.launcher.MainAccess.normalize("-port=80", "-interval", "2", "--", "java", "-jar", "-port"))
                .containsExactly("--port=80", "--interval", "2", "--", "java", "-jar", "-port");
    }

    @Test
    void twoSocketsAskingForOneFdIsAUsageError() throws Exception {
        assertThatThrownBy(() -> parse("--port=8080=5", "--port=8081=5", "prog").settings(Map.of()))
                .isInstanceOf(UsageError.class)
                .hasMessage("invalid port value: '8081=5': fd 5 is already taken by another socket")
                .extracting(e -> ((UsageError) e).exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThatThrownBy(() -> parse("--port=8080=0", "--port=8081=0", "prog").settings(Map.of()))
                .hasMessageContaining("fd 0 is already taken");
        // The original's numbering: 8080 gets 3 without a log file, 4 with one (the log holds 3).
        assertThatThrownBy(() -> parse("--port=8080", "--port=8081=3", "prog").settings(Map.of()))
                .hasMessageContaining("fd 3 is already taken");
        assertThat(parse("--port=8080", "--port=8081=3", "--log-file=x", "prog").settings(Map.of()).sockets()).hasSize(2);
    }

    @Test
    void defaultsAreTheOnesHelpShows() throws Exception {
        Settings s = parse("--enable-auto-restart", "prog").settings(Map.of());
        String help = MainAccess.help(200);
        assertThat(help).contains("(default: " + s.supervision().interval().toSeconds() + ")")
                .contains("(default: " + s.supervision().autoRestartInterval().toSeconds() + ")")
                .contains("(default: " + s.supervision().killOldDelay().toSeconds() + " with auto-restart")
                .contains("(default: " + s.backlog() + ",")
                .contains("(default: " + s.supervision().readinessTimeout().toSeconds() + ")")
                .contains("(default: " + s.restartTimeout().toSeconds() + ")")
                .contains("(default: " + s.drainTimeout().toSeconds() + ")")
                .contains("(default: " + s.drainGrace().toSeconds() + ")")
                .contains("(default: " + s.supervision().signalOnHup().name() + ")");
    }

    @Test
    void helpWrapsTheSignalsUnderTheirDescriptionsAtAnyWidth() {
        for (int width : new int[] {55, 80, 100}) {
            String help = MainAccess.help(width);
            List<String> lines = help.lines().toList();
            List<String> signals = lines.subList(lines.indexOf("Signals:") + 1, lines.size());
            assertThat(signals).as("width %d", width).allMatch(l -> l.length() <= width);
            // Every line of the table names a signal or continues a description under its column.
            Pattern row = Pattern.compile("^  (HUP|TERM|INT|USR1|others) +\\S.*|^ {12,14}\\S.*");
            int end = signals.indexOf("");
            assertThat(signals.subList(0, end)).as("width %d", width).allMatch(l -> row.matcher(l).matches());
            String joined = String.join(" ", signals.subList(0, end)).replaceAll(" +", " ");
            assertThat(joined).contains("once it is up. HUPs that arrive", "clean up, exit 0 (5 if --force-kill-after had "
                    + "to KILL one). INT");
        }
    }

    @Test
    void statusIsAModeOfItsOwnAndJsonGoesWithIt() throws Exception {
        StartServerCommand status = parse("--status", "--json", "--pid-file=/run/p");
        assertThat(status.mode()).isEqualTo(StartServerCommand.Mode.STATUS);
        assertThat(status.json()).isTrue();
        assertThat(status.settings(Map.of()).pidFile()).isEqualTo("/run/p");
        assertThatThrownBy(() -> parse("--status").settings(Map.of())).isInstanceOf(UsageError.class)
                .hasMessage("--status option requires --pid-file to be set as well");
        assertThatThrownBy(() -> parse("--json", "prog").settings(Map.of())).isInstanceOf(UsageError.class)
                .hasMessage("--json goes with --status");
    }

    @Test
    void everyAbbreviationOfStatusFileKeepsTheOriginalsMeaningButTheBareStatus() {
        assertThat(MainAccess.normalize("--status=/tmp/s", "--stat", "/tmp/t", "--sta=/tmp/u",
                "--STATUS", "--", "--status=x"))
                .containsExactly("--status-file=/tmp/s", "--status-file", "/tmp/t", "--status-file=/tmp/u", "--STATUS",
                        "--", "--status=x");
    }
}
