package io.github.hotdeploy.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What start_server tells the agent it injects, from the command line users type. */
class AgentArgumentsTest {

    private static String agentArguments(String... args) throws Exception {
        return StartServer.agentArguments(MainAccess.parse(args).settings(Map.of()));
    }

    @Test
    void theDrainsBoundsAreAlwaysSpelledOutWithTheDefaultsByDefault() throws Exception {
        assertThat(agentArguments("prog")).isEqualTo("drainTimeoutMs=30000,drainGraceMs=1000");
    }

    @Test
    void optionsAndOtherStopSignalsReachTheAgentInMilliseconds() throws Exception {
        assertThat(agentArguments("--drain-timeout=5", "--drain-grace=0.25", "--signal-on-hup=USR1",
                "--signal-on-term=INT", "prog")).isEqualTo("drainTimeoutMs=5000,drainGraceMs=250,drainSignals=USR1+INT");
    }

    @Test
    void aBadGraceNamesTheOption() {
        assertThatThrownBy(() -> agentArguments("--drain-grace=soon", "prog"))
                .hasMessageContaining("--drain-grace").hasMessageContaining("soon");
    }
}
