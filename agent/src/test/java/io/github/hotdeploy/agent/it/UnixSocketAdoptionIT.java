package io.github.hotdeploy.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.hotdeploy.agent.it.apps.FixtureServer;
import io.github.hotdeploy.agent.it.support.Adoption;
import io.github.hotdeploy.agent.it.support.Client;
import io.github.hotdeploy.agent.it.support.Jdks;
import io.github.hotdeploy.agent.it.support.StartServer;
import io.github.hotdeploy.testsupport.ManagedProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** sun.nio.ch.UnixDomainSockets.bind (JDK 16+): start_server --path, matched by path. */
class UnixSocketAdoptionIT {

    static Iterable<String> jdks() {
        return Jdks.versions();
    }

    @ParameterizedTest(name = "JDK {0}")
    @MethodSource("jdks")
    void theAppServesOnTheLaunchersUnixSocketAcrossARestart(String jdk, @TempDir Path dir) throws Exception {
        String path = dir.resolve("app.sock").toString();
        try (ManagedProcess server = StartServer.start(Collections.singletonList("--path=" + path), Jdks.java(jdk),
                Collections.emptyList(), Jdks.fixtureClassPath(), FixtureServer.class.getName(), "channel",
                "unix:" + path)) {
            long first = server.awaitOnlyChild();
            assertThat(awaitAnswerFrom(first, path).generation).isEqualTo("1");
            Adoption.assertAdoptedUnix(server.pid(), first, path);

            server.signal("HUP");
            long second = AdoptionIT.awaitOnlyChildOtherThan(server, first);
            assertThat(awaitAnswerFrom(second, path).generation).isEqualTo("2");
            Adoption.assertAdoptedUnix(server.pid(), second, path);
            assertThat(Files.exists(Path.of(path))).isTrue();
            assertThat(Adoption.warnings(server)).as(server.output()).isEmpty();
        }
    }

    private static Client.Answer awaitAnswerFrom(long pid, String path) {
        AtomicReference<Client.Answer> last = new AtomicReference<>();
        await("an answer from pid " + pid).atMost(ManagedProcess.PATIENCE).pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> {
                    last.set(Client.unix(path));
                    return last.get().pid == pid;
                });
        return last.get();
    }
}
