package io.github.hotdeploy.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AgentOptionsTest {

    @Test
    void defaults() {
        AgentOptions options = AgentOptions.parse(null);
        assertThat(options.quiet()).isFalse();
        assertThat(options.off()).isFalse();
        assertThat(options.partialReadyDelayMs()).isEqualTo(io.github.hotdeploy.protocol.AgentArguments.DEFAULT_PARTIAL_READY_DELAY_MS);
        assertThat(options.drainTimeoutMs()).isEqualTo(30000);
    }

    @Test
    void drainTimeoutAsStartServerPassesIt() {
        assertThat(AgentOptions.parse("drainTimeoutMs=2500").drainTimeoutMs()).isEqualTo(2500);
        assertThat(AgentOptions.parse("drainTimeoutMs=0").drainTimeoutMs()).isZero();
        assertThat(AgentOptions.parse("drainTimeoutMs=soon").drainTimeoutMs())
                .isEqualTo(io.github.hotdeploy.protocol.AgentArguments.DEFAULT_DRAIN_TIMEOUT_MS);
        assertThat(AgentOptions.parse("drainTimeoutMs=-1").drainTimeoutMs())
                .isEqualTo(io.github.hotdeploy.protocol.AgentArguments.DEFAULT_DRAIN_TIMEOUT_MS);
    }

    @Test
    void drainSignalsAsStartServerPassesThem() {
        assertThat(AgentOptions.parse(null).drainSignals()).isEmpty();
        assertThat(AgentOptions.parse("drainSignals=USR1").drainSignals()).containsExactly("USR1");
        assertThat(AgentOptions.parse("drainSignals=sigusr1+INT+USR1").drainSignals()).containsExactly("USR1", "INT");
        assertThat(AgentOptions.parse("drainSignals=USR1+;rm").drainSignals()).isEmpty();
        assertThat(AgentOptions.parse("drainSignals=").drainSignals()).isEmpty();
    }

    @Test
    void parsesEveryOption() {
        AgentOptions options = AgentOptions.parse("quiet, off,partialReadyDelayMs=250");
        assertThat(options.quiet()).isTrue();
        assertThat(options.off()).isTrue();
        assertThat(options.partialReadyDelayMs()).isEqualTo(250);
    }

    @Test
    void badValuesFallBackToDefaults() {
        assertThat(AgentOptions.parse("partialReadyDelayMs=-5,bogus").partialReadyDelayMs())
                .isEqualTo(io.github.hotdeploy.protocol.AgentArguments.DEFAULT_PARTIAL_READY_DELAY_MS);
    }
}
