package io.github.hotdeploy.integration.servers;

import io.github.hotdeploy.integration.support.App;
import io.github.hotdeploy.integration.support.Apps;
import io.github.hotdeploy.testsupport.Jdk;
import org.junit.jupiter.api.Test;

/** Embedded Jetty 12: ServerConnector, a selector-managed ServerSocketChannel with an acceptor thread. */
class JettyIT extends HotDeployTestBase {

    @Override
    protected App app() {
        return Apps.of("jetty");
    }

    @Test
    void onJdk17ThenJdk25ThenJdk17() throws Exception {
        hotDeploy(Jdk.JDK_17, Jdk.JDK_25);
    }
}
