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
import io.github.hotdeploy.testsupport.ProcFs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SERVER_STARTER_PORT that is stale, foreign or garbage: the app binds normally, and the agent
 * says so in exactly one warning; or in one info line when none of its fds is a socket (a JVM that
 * inherited the variable but not the sockets, as every JVM the application starts does: closed,
 * or a file the JVM opened at that number).
 */
class ForeignEnvironmentIT {

    static List<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String jdk : Jdks.versions()) {
            cases.add(Arguments.of(jdk, "unparseable", "this is not a port list"));
            cases.add(Arguments.of(jdk, "fd not open", "127.0.0.1:%d=77"));
            cases.add(Arguments.of(jdk, "fd not a socket", "127.0.0.1:%d=0"));
            // fd 3 in a JVM the application started: the JVM's own lib/modules, not a socket
            cases.add(Arguments.of(jdk, "fd a file of the JVM", "127.0.0.1:%d=3"));
            cases.add(Arguments.of(jdk, "two bad entries", "%d=0;127.0.0.1:%<d=99"));
        }
        return cases;
    }

    @ParameterizedTest(name = "{1} on JDK {0}")
    @MethodSource("cases")
    void theAppBindsNormallyWithOneWarning(String jdk, String what, String value) throws Exception {
        int port = FreePorts.tcp();
        Map<String, String> env = new HashMap<>();
        env.put("SERVER_STARTER_PORT", String.format(value, port));
        env.put("SERVER_STARTER_GENERATION", "7");
        List<String> command = StartServer.javaCommand(Jdks.java(jdk), Collections.emptyList(),
                Jdks.fixtureClassPath(), FixtureServer.class.getName(), "serversocket", "127.0.0.1:" + port);
        try (ManagedProcess app = ManagedProcess.start(command, env)) {
            await("an answer").atMost(ManagedProcess.PATIENCE).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions()
                    .until(() -> Client.line(port).pid == app.pid());
            List<Long> listeners = ProcFs.listeningTcpInodes(port);
            assertThat(listeners).hasSize(1);
            assertThat(ProcFs.socketFds(app.pid()).values()).contains(listeners.get(0));
            if (what.equals("fd not open") || what.equals("fd a file of the JVM")) {
                assertThat(Adoption.warnings(app)).as(app.output()).isEmpty();
                // This test's JVM started it, as a JVM the application starts (start.jar --exec).
                assertThat(app.linesStartingWith("start_server-agent: this JVM (pid " + app.pid() + ") was started by JVM "
                        + ProcessHandle.current().pid() + " and did not inherit the sockets in SERVER_STARTER_PORT"))
                        .as(app.output()).hasSize(1);
            } else {
                assertThat(Adoption.warnings(app)).as(app.output()).hasSize(1);
            }
            assertThat(app.linesStartingWith("start_server-agent: adopted")).isEmpty();
        }
    }
}
