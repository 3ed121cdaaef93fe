package io.github.hotdeploy.integration.servers;

import io.github.hotdeploy.integration.support.App;
import io.github.hotdeploy.integration.support.Apps;
import io.github.hotdeploy.testsupport.Jdk;
import org.junit.jupiter.api.Test;

/** The Jetty distribution, java -jar start.jar on a jetty.base that deploys a WAR. */
class JettyDistributionIT extends HotDeployTestBase {

    @Override
    protected App app() {
        return Apps.of("jetty-dist");
    }

    @Test
    void onJdk17ThenJdk25ThenJdk17() throws Exception {
        hotDeploy(Jdk.JDK_17, Jdk.JDK_25);
    }
}
