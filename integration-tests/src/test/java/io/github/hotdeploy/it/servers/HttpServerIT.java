package io.github.hotdeploy.it.servers;

import io.github.hotdeploy.it.support.App;
import io.github.hotdeploy.it.support.Apps;
import io.github.hotdeploy.testsupport.Jdk;
import org.junit.jupiter.api.Test;

/** The JDK's com.sun.net.httpserver: a ServerSocketChannel bound in HttpServer.create. */
class HttpServerIT extends HotDeployTestBase {

    @Override
    protected App app() {
        return Apps.of("httpserver");
    }

    @Test
    void onJdk17() throws Exception {
        hotDeploy(Jdk.JDK_17);
    }

    @Test
    void onJdk25() throws Exception {
        hotDeploy(Jdk.JDK_25);
    }
}
