package io.github.hotdeploy.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import static io.github.hotdeploy.integration.support.Generations.awaitExit;

import io.github.hotdeploy.testsupport.FreePorts;
import io.github.hotdeploy.testsupport.Jdk;
import io.github.hotdeploy.testsupport.KeepAliveClients;
import io.github.hotdeploy.testsupport.ManagedProcess;
import io.github.hotdeploy.testsupport.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * https keep-alive connections across a restart: the drain ends each one by its next response,
 * whose plaintext it edits inside the JDK's SSLEngine (Tomcat and Jetty both encrypt there). The
 * clients never resend; a response cut, a connection ended before its response, or a handshake
 * that fails is a failure.
 */
class TlsDrainIT {

    private static final String PASSWORD = "changeit";

    /** Each server once, on one JDK each: the SSLEngine hook is the same code on both. */
    static Stream<Arguments> servers() {
        return Stream.of(Arguments.of("jetty", Jdk.JDK_17), Arguments.of("tomcat", Jdk.JDK_25));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("servers")
    void httpsKeepAliveConnectionsAreEndedByTheirNextResponse(String server, Jdk jdk) throws Exception {
        String java = jdk.java();
        Path dir = Files.createTempDirectory("tls-drain-it-");
        Path keystore = dir.resolve("key.p12");
        selfSignedKey(keystore);
        int port = FreePorts.tcp();
        try (ManagedProcess starter = ManagedProcess.start(List.of(Repo.startServer().toString(),
                "--port=127.0.0.1:" + port, "--", java, "-jar", Repo.testApp(server).toString(), "--port", String.valueOf(port),
                "--keystore", keystore.toString(), "--keystore-password", PASSWORD), Map.of())) {
            await("https served by generation 1").atMost(ManagedProcess.PATIENCE).pollInterval(Duration.ofMillis(200))
                    .failFast(() -> !starter.process().isAlive())
                    .until(() -> KeepAliveClients.httpsGetSucceeds(port, "/"));
            long old = starter.awaitOnlyChild();
            long next;
            KeepAliveClients clients = KeepAliveClients.startTls(port, "/", 4, 5);
            try {
                await("the keep-alive clients served").atMost(ManagedProcess.PATIENCE).until(() -> clients.ok() >= 20);
                starter.signal("HUP");
                awaitExit(old);
                next = starter.awaitOnlyChild();
                long served = clients.ok();
                await("https served by generation 2").atMost(ManagedProcess.PATIENCE).pollInterval(Duration.ofMillis(100))
                        .until(() -> clients.ok() >= served + 20);
            } finally {
                clients.close();
            }

            assertThat(clients.failures()).as("https requests of keep-alive clients that never resend").isEmpty();
            assertThat(clients.endedByServer()).as("https connections ended by a response saying close")
                    .isGreaterThanOrEqualTo(4);
            assertThat(starter.output()).contains("drain (pid " + old + "): done in");
            assertThat(starter.linesContaining("start_server-agent: warning")).as(starter.output()).isEmpty();
            assertThat(Set.copyOf(starter.children())).containsExactly(next);
        } finally {
            Files.deleteIfExists(keystore);
            Files.deleteIfExists(dir);
        }
    }

    private static void selfSignedKey(Path keystore) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "test", "-keyalg", "RSA",
                "-keysize", "2048", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD,
                "-keypass", PASSWORD, "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("keytool: " + output).isZero();
    }
}
