package io.github.hotdeploy.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ReadinessTest {

    @Test
    void theAgentsReportsRoundTrip() {
        String hello = Readiness.agentMessage(42);
        assertThat(Readiness.has(hello, Readiness.AGENT)).isTrue();
        assertThat(Readiness.isReady(hello)).isFalse();
        assertThat(Readiness.value(hello, Readiness.MAINPID_PREFIX)).isEqualTo("42");

        assertThat(Readiness.value(Readiness.adoptedMessage("127.0.0.1:8080", 42), Readiness.ADOPTED_PREFIX))
                .isEqualTo("127.0.0.1:8080");
        assertThat(Readiness.value(Readiness.boundMessage(57, "[::1]:8009", 42), Readiness.BOUND_PREFIX))
                .isEqualTo("57 [::1]:8009");
        assertThat(Readiness.value(Readiness.startedMessage(4812, "/opt/jdk 17/bin/java\n", 42), Readiness.STARTED_PREFIX))
                .as("one line, the program's spaces kept").isEqualTo("4812 /opt/jdk 17/bin/java");
        assertThat(Readiness.isReady(Readiness.readyMessage(42))).isTrue();
        assertThat(Readiness.value(Readiness.readyMessage(42), Readiness.BOUND_PREFIX)).isNull();
    }

    @Test
    void keysAreWrittenAsTheOriginalWritesPortSpecsAndParseBack() throws Exception {
        String v4 = ServerStarterPort.key(InetAddress.getByName("127.0.0.1"), 8005);
        String v6 = ServerStarterPort.key(InetAddress.getByName("::1"), 8009);
        String any = ServerStarterPort.key(InetAddress.getByName("0.0.0.0"), 8081);
        assertThat(v4).isEqualTo("127.0.0.1:8005");
        assertThat(v6).isEqualTo("[::1]:8009");
        assertThat(ServerStarterPort.key(InetAddress.getByName("::"), 80)).isEqualTo("[::]:80");
        assertThat(ServerStarterPort.key(InetAddress.getByName("2001:db8:0:0:1:0:0:1"), 80))
                .isEqualTo("[2001:db8::1:0:0:1]:80");
        assertThat(ServerStarterPort.key(InetAddress.getByName("fe80:0:0:0:0:0:0:5"), 80)).isEqualTo("[fe80::5]:80");
        assertThat(ServerStarterPort.key(InetAddress.getByName("1:0:2:0:3:0:4:0"), 80)).isEqualTo("[1:0:2:0:3:0:4:0]:80");
        assertThat(InheritedSocket.of(v6, 5).kind()).isEqualTo(InheritedSocket.Kind.IPV6_HOST_PORT);
        assertThat(InheritedSocket.of(v6, 5).port()).isEqualTo(8009);
        assertThat(InheritedSocket.of(any, 6).host()).isEqualTo("0.0.0.0");
        assertThat(ServerStarterPort.parse(v4 + "=7;" + v6 + "=8")).hasSize(2);
    }
}
