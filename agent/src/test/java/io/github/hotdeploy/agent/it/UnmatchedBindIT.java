package io.github.hotdeploy.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotdeploy.agent.it.apps.FixtureServer;
import io.github.hotdeploy.agent.it.support.Adoption;
import io.github.hotdeploy.agent.it.support.Jdks;
import io.github.hotdeploy.agent.it.support.StartServer;
import io.github.hotdeploy.testsupport.FreePorts;
import io.github.hotdeploy.testsupport.ManagedProcess;
import io.github.hotdeploy.testsupport.ProcFs;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A bind that matches no inherited socket proceeds normally, silently. */
class UnmatchedBindIT {

    static Iterable<String> jdks() {
        return Jdks.versions();
    }

    @ParameterizedTest(name = "JDK {0}")
    @MethodSource("jdks")
    void aBindToAnotherPortIsLeftAlone(String jdk) throws Exception {
        int inheritedPort = FreePorts.tcp();
        int appPort = FreePorts.tcp();
        try (ManagedProcess server = StartServer.start(Collections.singletonList("--port=127.0.0.1:" + inheritedPort),
                Jdks.java(jdk), Collections.emptyList(), Jdks.fixtureClassPath(), FixtureServer.class.getName(),
                "channel", "127.0.0.1:" + appPort)) {
            long app = server.awaitOnlyChild();
            assertThat(AdoptionIT.awaitAnswerFrom(app, "channel", appPort).generation).isEqualTo("1");

            List<Long> own = ProcFs.listeningTcpInodes(appPort);
            assertThat(own).hasSize(1);
            assertThat(ProcFs.socketFds(app).values()).contains(own.get(0));
            assertThat(ProcFs.socketFds(server.pid()).values()).doesNotContain(own.get(0));
            assertThat(ProcFs.listeningTcpInodes(inheritedPort)).hasSize(1); // still only the launcher's

            assertThat(server.linesStartingWith("start_server-agent:")).as(server.output()).isEmpty();
        }
    }
}
