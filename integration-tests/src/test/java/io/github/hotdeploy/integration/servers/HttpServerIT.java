package io.github.hotdeploy.integration.servers;

import io.github.hotdeploy.integration.support.App;
import io.github.hotdeploy.integration.support.Apps;
import io.github.hotdeploy.testsupport.Jdk;
import org.junit.jupiter.api.Test;

/** The JDK's com.sun.net.httpserver: a ServerSocketChannel bound in HttpServer.create. */
class HttpServerIT extends HotDeployTestBase {

    @Override
    protected App app() {
        return Apps.of("httpserver");
    }

    @Test
    void onJdk17ThenJdk25ThenJdk17() throws Exception {
        hotDeploy(Jdk.JDK_17, Jdk.JDK_25);
    }
}
