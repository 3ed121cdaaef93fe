package io.github.hotdeploy.agent.adoption;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PreviousGenerationTest {

    @Test
    void findsTheListeningSocketsOfAPortInBothTables() {
        String tcp = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
                + "   0: 0100007F:1F45 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 169553 1 0\n"
                + "   1: 0100007F:1F45 0100007F:A829 01 00000000:00000000 00:00000000 00000000     0        0 170001 1 0\n"
                + "   2: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 167998 1 0\n";
        assertThat(PreviousGeneration.listeningInodes(tcp, 8005)).containsExactly(169553L);
        assertThat(PreviousGeneration.listeningInodes(tcp, 8080)).containsExactly(167998L);
        assertThat(PreviousGeneration.listeningInodes(tcp, 9)).isEmpty();
    }

    @Test
    void readsOneVariableOfAnEnviron() {
        String environ = "A=1\0SERVER_STARTER_PORT=127.0.0.1:80=3\0SERVER_STARTER_GENERATION=2\0";
        assertThat(PreviousGeneration.variable(environ, "SERVER_STARTER_PORT")).isEqualTo("127.0.0.1:80=3");
        assertThat(PreviousGeneration.variable(environ, "SERVER_STARTER_GENERATION")).isEqualTo("2");
        assertThat(PreviousGeneration.variable(environ, "B")).isNull();
    }
}
