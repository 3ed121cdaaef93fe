package io.github.hotdeploy.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotdeploy.agent.it.apps.FixtureServer;
import io.github.hotdeploy.agent.it.support.Adoption;
import io.github.hotdeploy.agent.it.support.Jdks;
import io.github.hotdeploy.agent.it.support.StartServer;
import io.github.hotdeploy.testsupport.FreePorts;
import io.github.hotdeploy.testsupport.ManagedProcess;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/**
 * Beyond "same address": a wildcard bind takes a socket start_server bound to a specific address
 * (it only narrows what the app asked for). The converse (a specific bind never takes a wildcard
 * socket) is covered by BindMatcherTest only: testing it here would need a socket listening on
 * every interface, and these tests listen on 127.0.0.1 only.
 */
class AddressMatchingIT {

    @Test
    void aWildcardBindTakesTheLaunchersLoopbackSocket() throws Exception {
        int port = FreePorts.tcp();
        try (ManagedProcess server = StartServer.start(Collections.singletonList("--port=127.0.0.1:" + port),
                Jdks.java17(), Collections.emptyList(), Jdks.fixtureClassPath(), FixtureServer.class.getName(),
                "channel", "0.0.0.0:" + port)) {
            long app = server.awaitOnlyChild();
            assertThat(AdoptionIT.awaitAnswerFrom(app, "channel", port).generation).isEqualTo("1");
            Adoption.assertAdoptedTcp(server.pid(), app, port);
            // The channel reports where it really listens.
            server.awaitOutput("fixture listening on /127.0.0.1:" + port);
        }
    }
}
