package io.github.hotdeploy.integration.servers;

import io.github.hotdeploy.integration.support.App;
import io.github.hotdeploy.integration.support.Apps;
import io.github.hotdeploy.testsupport.Jdk;
import org.junit.jupiter.api.Test;

/** Undertow 2.4 (XNIO): a non-blocking ServerSocketChannel on an XNIO I/O thread. */
class UndertowIT extends HotDeployTestBase {

    @Override
    protected App app() {
        return Apps.of("undertow");
    }

    @Test
    void onJdk17ThenJdk25ThenJdk17() throws Exception {
        hotDeploy(Jdk.JDK_17, Jdk.JDK_25);
    }
}
