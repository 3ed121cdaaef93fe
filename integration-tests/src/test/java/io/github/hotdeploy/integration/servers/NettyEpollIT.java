package io.github.hotdeploy.integration.servers;

import io.github.hotdeploy.integration.support.App;
import io.github.hotdeploy.integration.support.Apps;
import io.github.hotdeploy.testsupport.Jdk;
import org.junit.jupiter.api.Test;

/** Netty 4.2 native epoll transport: Netty's own JNI bind, outside the JDK's socket code. */
class NettyEpollIT extends HotDeployTestBase {

    @Override
    protected App app() {
        return Apps.of("netty-epoll");
    }

    @Test
    void onJdk17ThenJdk25ThenJdk17() throws Exception {
        hotDeploy(Jdk.JDK_17, Jdk.JDK_25);
    }
}
