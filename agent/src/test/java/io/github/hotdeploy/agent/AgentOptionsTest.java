package io.github.hotdeploy.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AgentOptionsTest {

    @Test
    void defaults() {
        AgentOptions options = AgentOptions.parse(null);
        assertThat(options.quiet()).isFalse();
        assertThat(options.off()).isFalse();
        assertThat(options.partialReadyDelayMs()).isEqualTo(AgentOptions.DEFAULT_PARTIAL_READY_DELAY_MS);
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
                .isEqualTo(AgentOptions.DEFAULT_PARTIAL_READY_DELAY_MS);
    }
}
