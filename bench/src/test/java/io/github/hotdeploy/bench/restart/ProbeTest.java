package io.github.hotdeploy.bench.restart;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProbeTest {

    @Test
    void parsesStatusAndBody() {
        Probe.Answer a = Probe.parse("HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\nslept 3000 ms\n", 1, 2);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.ok()).isTrue();
        assertThat(a.body()).isEqualTo("slept 3000 ms");
        assertThat(Probe.parse("HTTP/1.0 503 Service Unavailable\r\n\r\n", 1, 2).ok()).isFalse();
    }

    @Test
    void nothingOrGarbageIsNoAnswer() {
        assertThat(Probe.parse("", 1, 2).error()).isEqualTo("no response");
        assertThat(Probe.parse("SSH-2.0-OpenSSH\r\n", 1, 2).error()).startsWith("not HTTP");
        assertThat(Probe.parse("HTTP/1.1 2", 1, 2).status()).isZero();
    }

    @Test
    void aClosedPortIsAnError() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Probe.Answer a = Probe.get(port, "/", 1000);
        assertThat(a.ok()).isFalse();
        assertThat(a.status()).isZero();
        assertThat(a.error()).contains("ConnectException").contains("Connection refused");
    }
}
