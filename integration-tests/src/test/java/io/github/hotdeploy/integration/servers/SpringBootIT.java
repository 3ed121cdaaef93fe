package io.github.hotdeploy.integration.servers;

import io.github.hotdeploy.integration.support.App;
import io.github.hotdeploy.integration.support.Apps;
import io.github.hotdeploy.testsupport.Jdk;
import org.junit.jupiter.api.Test;

/** Spring Boot 3.5 fat jar (nested jars, its own launcher) on embedded Tomcat. */
class SpringBootIT extends HotDeployTestBase {

    @Override
    protected App app() {
        return Apps.of("spring-boot");
    }

    @Test
    void onJdk17ThenJdk25ThenJdk17() throws Exception {
        hotDeploy(Jdk.JDK_17, Jdk.JDK_25);
    }
}
