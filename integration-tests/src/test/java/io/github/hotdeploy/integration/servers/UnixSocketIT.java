package io.github.hotdeploy.integration.servers;

import io.github.hotdeploy.integration.support.App;
import io.github.hotdeploy.integration.support.Apps;
import io.github.hotdeploy.testsupport.Jdk;
import org.junit.jupiter.api.Test;

/** A unix-domain ServerSocketChannel (JDK 16+) under start_server --path. */
class UnixSocketIT extends HotDeployTestBase {

    @Override
    protected App app() {
        return Apps.of("unixsocket");
    }

    @Test
    void onJdk17ThenJdk25ThenJdk17() throws Exception {
        hotDeploy(Jdk.JDK_17, Jdk.JDK_25);
    }
}
