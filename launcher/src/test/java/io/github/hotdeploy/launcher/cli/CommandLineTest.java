package io.github.hotdeploy.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hotdeploy.launcher.os.Signals;
import io.github.hotdeploy.launcher.sockets.InetListenSpec;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The option model, parsed the way Main parses it. */
class CommandLineTest {

    private static StartServerCommand parse(String... args) {
        StartServerCommand command = new StartServerCommand();
        new CommandLine(command).setOptionsCaseInsensitive(true).setAbbreviatedOptionsAllowed(true)
                .setStopAtPositional(false).parseArgs(args);
        return command;
    }

    @Test
    void bothValueFormsRepeatedOptionsAndTheProgram() throws Exception {
        Settings s = parse("--port=8080", "--port", "127.0.0.1:8081", "--interval", "3", "--", "prog", "--flag")
                .settings(Map.of());
        assertThat(s.sockets()).extracting(spec -> ((InetListenSpec) spec).key()).containsExactly("8080", "127.0.0.1:8081");
        assertThat(s.interval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.command()).containsExactly("prog", "--flag");
    }

    @Test
    void optionNamesAreCaseInsensitiveAndSignalNamesNormalised() throws Exception {
        Settings s = parse("--signal-on-TERM=sigint", "--Signal-On-Hup=usr1", "prog").settings(Map.of());
        assertThat(s.signalOnTermName()).isEqualTo("INT");
        assertThat(s.signalOnTerm()).isEqualTo(Signals.INT);
        assertThat(s.signalOnHup()).isEqualTo(Signals.USR1);
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
        assertThat(fromEnv.autoRestartInterval()).isEqualTo(Duration.ofSeconds(20));
        assertThat(fromEnv.killOldDelay()).isEqualTo(Duration.ofSeconds(7));
        Settings fromOptions = parse("--kill-old-delay=2", "--auto-restart-interval=30", "prog").settings(env);
        assertThat(fromOptions.killOldDelay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(fromOptions.autoRestartInterval()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void killOldDelayDefaultsToFiveWithAutoRestartOnly() throws Exception {
        assertThat(parse("prog").settings(Map.of()).killOldDelay()).isZero();
        assertThat(parse("--enable-auto-restart", "prog").settings(Map.of()).killOldDelay()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void badValuesNameTheCulprit() {
        assertThatThrownBy(() -> parse("--signal-on-hup=NOPE", "prog").settings(Map.of()))
                .hasMessage("unknown signal name for --signal-on-hup: 'NOPE'");
        assertThatThrownBy(() -> parse("--interval=soon", "prog").settings(Map.of()))
                .hasMessageStartingWith("invalid value for --interval: 'soon'");
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
}
