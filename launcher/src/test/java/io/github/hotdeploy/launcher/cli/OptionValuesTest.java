package io.github.hotdeploy.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotdeploy.launcher.MainAccess;
import io.github.hotdeploy.launcher.os.Signals;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The typed options: what each converter makes of a value, and the one line and exit status a
 * bad value gets, through the same Main that users run. The variables standing in for options
 * go through the same parsers and get the same words.
 */
class OptionValuesTest {

    private static Settings settings(Map<String, String> env, String... args) throws UsageError {
        return MainAccess.parse(args).settings(env);
    }

    private static Settings settings(String... args) throws UsageError {
        return settings(Map.of(), args);
    }

    /** start_server rejected the command line with exit 1 and this one line. */
    private static void rejected(Map<String, String> env, String expectedLine, String... args) throws Exception {
        MainAccess.Rejection run = MainAccess.reject(env, args);
        assertThat(run.stderr()).as(String.join(" ", args)).containsExactly("start_server: " + expectedLine);
        assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "--interval|soon|expected a number of seconds, 0 or more",
        "--interval|-1|expected a number of seconds, 0 or more",
        "--kill-old-delay|later|expected a number of seconds, 0 or more",
        "--drain-timeout|1x|expected a number of seconds, 0 or more",
        "--drain-grace|-0.5|expected a number of seconds, 0 or more",
        "--auto-restart-interval|0|expected a positive number of seconds",
        "--wait-ready-timeout|0|expected a positive number of seconds",
        "--client-timeout|never|expected a positive number of seconds",
        "--force-kill-after|0|expected a positive number of seconds",
        "--backlog|x|expected a whole number",
        "--backlog|0|must be at least 1",
        "--wait-ready|sometimes|expected auto, always or never",
        "--class-cache|maybe|expected auto or off"})
    void aBadValueIsOneLineNamingTheOptionAndTheValue(String option, String value, String why) throws Exception {
        rejected(Map.of(), "invalid value for " + option + ": '" + value + "' (" + why + ")",
                option + "=" + value, "--", "prog");
    }

    @Test
    void theOptionIsNamedInFullHoweverItWasTyped() throws Exception {
        rejected(Map.of(), "invalid value for --interval: 'soon' (expected a number of seconds, 0 or more)",
                "--INTERV", "soon", "prog");
        rejected(Map.of(), "invalid value for --kill-old-delay: 'x' (expected a number of seconds, 0 or more)",
                "-kill=x", "prog");
    }

    @Test
    void anUnknownSignalIsNamedAsNormalised() throws Exception {
        rejected(Map.of(), "unknown signal name for --signal-on-hup: 'NOPE'", "--signal-on-hup=sigNope", "prog");
        rejected(Map.of(), "unknown signal name for --signal-on-term: '99'", "--signal-on-term=99", "prog");
    }

    @Test
    void aBadValueIsRejectedInEveryModeAndBeforeAMissingProgram() throws Exception {
        rejected(Map.of(), "invalid value for --client-timeout: '0' (expected a positive number of seconds)",
                "--restart", "--pid-file=/nonexistent/p", "--status-file=/nonexistent/s", "--client-timeout=0");
        rejected(Map.of(), "invalid value for --interval: 'abc' (expected a number of seconds, 0 or more)", "--interval=abc");
    }

    @Test
    void aBadValueIsAnErrorEvenWhenALaterOneIsGood() throws Exception {
        // Getopt::Long checks every occurrence: the original exits 1 here too.
        rejected(Map.of(), "invalid value for --interval: 'abc' (expected a number of seconds, 0 or more)",
                "--interval=abc", "--interval=1", "prog");
    }

    @Test
    void variablesStandingInForOptionsGetTheSameWords() throws Exception {
        rejected(Map.of("KILL_OLD_DELAY", "later"),
                "invalid value for KILL_OLD_DELAY: 'later' (expected a number of seconds, 0 or more)", "prog");
        rejected(Map.of("ENABLE_AUTO_RESTART", "1", "AUTO_RESTART_INTERVAL", "soon"),
                "invalid value for AUTO_RESTART_INTERVAL: 'soon' (expected a positive number of seconds)", "prog");
        rejected(Map.of(Defaults.CLASS_CACHE_ENV, "maybe"),
                "invalid value for " + Defaults.CLASS_CACHE_ENV + ": 'maybe' (expected auto or off)", "prog");
    }

    @Test
    void secondsTakeFractionsAndBlanks() throws Exception {
        Settings s = settings("--interval= 0.25 ", "--kill-old-delay=0", "--force-kill-after=2.5", "--drain-grace=0",
                "--wait-ready-timeout=90", "--client-timeout=7", "--drain-timeout=0.5", "prog");
        assertThat(s.supervision().interval()).isEqualTo(Duration.ofMillis(250));
        assertThat(s.supervision().killOldDelay()).isZero();
        assertThat(s.supervision().killAfter()).isEqualTo(Duration.ofMillis(2500));
        assertThat(s.drainGrace()).isZero();
        assertThat(s.supervision().readinessTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(s.restartTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(s.drainTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(settings("prog").supervision().killAfter()).as("never, unless given").isNull();
    }

    @Test
    void signalsByNameNumberOrSigName() throws Exception {
        Settings s = settings("--signal-on-hup=15", "--signal-on-term=SIGQUIT", "prog");
        assertThat(s.supervision().signalOnHup().number()).isEqualTo(Signals.TERM);
        assertThat(s.supervision().signalOnTerm().name()).isEqualTo("QUIT");
        assertThat(settings("prog").supervision().signalOnTerm().name()).isEqualTo(Defaults.SIGNAL);
    }

    @Test
    void backlogIsAWholeNumber() throws Exception {
        assertThat(settings("--backlog= 7 ", "prog").backlog()).isEqualTo(7);
        assertThat(settings("prog").backlog()).isEqualTo(Defaults.BACKLOG);
    }

    @Test
    void waitReadyWordsInAnyCase() throws Exception {
        assertThat(settings("--wait-ready=ALWAYS", "prog").readiness()).isEqualTo(Settings.Readiness.NOTIFY);
        assertThat(settings("--wait-ready= never", "prog").readiness()).isEqualTo(Settings.Readiness.NONE);
        assertThat(settings("prog").readiness()).isEqualTo(Settings.Readiness.AUTO);
    }

    @Test
    void classCacheFromTheOptionOrItsVariableWithOneParser() throws Exception {
        Map<String, String> off = Map.of(Defaults.CLASS_CACHE_ENV, " OFF ");
        assertThat(settings("prog").classCache()).isTrue();
        assertThat(settings(off, "prog").classCache()).isFalse();
        assertThat(settings(off, "--class-cache=Auto", "prog").classCache()).as("the option wins").isTrue();
        assertThat(settings("--class-cache=off", "prog").classCache()).isFalse();
        assertThat(settings(Map.of(Defaults.CLASS_CACHE_ENV, ""), "prog").classCache()).as("blank: the default").isTrue();
    }

    @Test
    void theCacheDirIsAPathMadeAbsolute() throws Exception {
        assertThat(settings("--cache-dir=rel/dir", "prog").cacheDir())
                .isEqualTo(java.nio.file.Path.of("rel/dir").toAbsolutePath().toString());
        assertThat(settings(Map.of("HOME", "/home/u"), "prog").cacheDir()).isEqualTo("/home/u/.cache/start_server");
    }

    @Test
    void givenSecondsAreExportedAsTheOriginalExportsNumbers() throws Exception {
        StartServerCommand command = MainAccess.parse("--kill-old-delay=07", "--auto-restart-interval=1.50", "prog");
        assertThat(command.optionVariables(command.settings(Map.of())))
                .containsEntry("KILL_OLD_DELAY", "7")
                .containsEntry("AUTO_RESTART_INTERVAL", "1.5");
        StartServerCommand none = MainAccess.parse("prog");
        assertThat(none.optionVariables(none.settings(Map.of("KILL_OLD_DELAY", "3"))))
                .as("only what was given as an option").doesNotContainKeys("KILL_OLD_DELAY", "AUTO_RESTART_INTERVAL");
    }

    @Test
    void aZeroAutoRestartIntervalVariableMeansTheDefaultAsInTheOriginal() throws Exception {
        // The original: $ENV{AUTO_RESTART_INTERVAL} ||= 360.
        Settings s = settings(Map.of("ENABLE_AUTO_RESTART", "1", "AUTO_RESTART_INTERVAL", "0"), "prog");
        assertThat(s.supervision().autoRestartInterval()).isEqualTo(Duration.ofSeconds(360));
    }

    @Test
    void otherParseErrorsKeepPicocliWordsAndPointToHelp() throws Exception {
        MainAccess.Rejection run = MainAccess.reject(Map.of(), "--no-such-option", "prog");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.stderr()).hasSize(1);
        assertThat(run.stderr().get(0)).contains("--no-such-option").endsWith("(see start_server --help)");
    }
}
