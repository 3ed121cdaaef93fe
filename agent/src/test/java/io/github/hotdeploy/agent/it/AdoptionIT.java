package io.github.hotdeploy.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.hotdeploy.agent.it.apps.FixtureServer;
import io.github.hotdeploy.agent.it.support.Adoption;
import io.github.hotdeploy.agent.it.support.Client;
import io.github.hotdeploy.agent.it.support.Jdks;
import io.github.hotdeploy.agent.it.support.StartServer;
import io.github.hotdeploy.testsupport.FreePorts;
import io.github.hotdeploy.testsupport.ManagedProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each JDK bind path, under start_server: the app's listening socket is the launcher's, it
 * serves, and after {@code kill -HUP} the next generation serves on the same socket.
 */
class AdoptionIT {

    static List<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String jdk : Jdks.versions()) {
            for (String kind : new String[] {"serversocket", "channel", "selector", "async", "httpserver"}) {
                cases.add(Arguments.of(kind, jdk, Collections.emptyList()));
            }
        }
        // java.net.AbstractPlainSocketImpl: the JDK 8-12 ServerSocket path, selectable on 17.
        cases.add(Arguments.of("serversocket", "17", Collections.singletonList("-Djdk.net.usePlainSocketImpl=true")));
        return cases;
    }

    @ParameterizedTest(name = "{0} on JDK {1} {2}")
    @MethodSource("cases")
    void theAppServesOnTheLaunchersSocketAcrossARestart(String kind, String jdk, List<String> jvmOptions)
            throws Exception {
        int port = FreePorts.tcp();
        try (ManagedProcess server = StartServer.start(Collections.singletonList("--port=127.0.0.1:" + port),
                Jdks.java(jdk), jvmOptions, Jdks.fixtureClassPath(), FixtureServer.class.getName(), kind,
                "127.0.0.1:" + port)) {
            long first = server.awaitOnlyChild();
            Client.Answer answer = awaitAnswerFrom(first, kind, port);
            assertThat(answer.generation).isEqualTo("1");
            Adoption.assertAdoptedTcp(server.pid(), first, port);
            // start_server's socket is blocking; selector and async users need it non-blocking, and
            // so does PlainSocketImpl, which makes every server socket non-blocking at creation.
            boolean nonBlocking = !kind.equals("serversocket") && !kind.equals("channel")
                    || jvmOptions.contains("-Djdk.net.usePlainSocketImpl=true");
            assertThat(Adoption.appFdIsNonBlocking(first, port)).as("O_NONBLOCK of the adopted fd")
                    .isEqualTo(nonBlocking);

            server.signal("HUP");
            long second = awaitOnlyChildOtherThan(server, first);
            answer = awaitAnswerFrom(second, kind, port);
            assertThat(answer.generation).isEqualTo("2");
            Adoption.assertAdoptedTcp(server.pid(), second, port);

            // Printed right after bind/start: a request may be served before the line is written.
            await("both generations' listening lines").atMost(ManagedProcess.PATIENCE)
                    .until(() -> server.linesStartingWith("fixture listening on").size() == 2);
            assertThat(server.linesStartingWith("fixture listening on")).as(server.output())
                    .allSatisfy(line -> assertThat(line).contains("127.0.0.1:" + port));
            assertThat(server.linesStartingWith("start_server-agent: adopted")).as(server.output()).hasSize(2);
            // The async channel's listener is in the JDK's EPollPort, not a selector: no drain (docs/agent.md).
            assertThat(kind.equals("async") ? Adoption.warningsBesidesNoDrain(server) : Adoption.warnings(server))
                    .as(server.output()).isEmpty();
            // JDK 24+ warns about sun.misc.Unsafe and restricted methods on stderr: none of ours.
            assertThat(server.linesStartingWith("WARNING:")).as(server.output()).isEmpty();
        }
    }

    static Client.Answer awaitAnswerFrom(long pid, String kind, int port) {
        AtomicReference<Client.Answer> last = new AtomicReference<>();
        await("an answer from pid " + pid).atMost(ManagedProcess.PATIENCE).pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> {
                    Client.Answer answer = kind.equals("httpserver") ? Client.http(port) : Client.line(port);
                    last.set(answer);
                    return answer.pid == pid;
                });
        return last.get();
    }

    static long awaitOnlyChildOtherThan(ManagedProcess server, long old) {
        long[] child = new long[1];
        await("the next generation alone").atMost(ManagedProcess.PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    List<Long> children = server.children();
                    if (children.size() == 1 && children.get(0) != old) {
                        child[0] = children.get(0);
                        return true;
                    }
                    return false;
                });
        return child[0];
    }
}
