package io.github.hotdeploy.integration.servers;

import io.github.hotdeploy.integration.support.App;
import io.github.hotdeploy.integration.support.Apps;
import io.github.hotdeploy.testsupport.Jdk;
import org.junit.jupiter.api.Test;

/** The Apache Tomcat distribution, catalina.sh run with a WAR: the agent arrives through JAVA_TOOL_OPTIONS. */
class TomcatDistributionIT extends HotDeployTestBase {

    @Override
    protected App app() {
        return Apps.of("tomcat-dist");
    }

    @Test
    void onJdk17ThenJdk25ThenJdk17() throws Exception {
        hotDeploy(Jdk.JDK_17, Jdk.JDK_25);
    }
}
