package io.github.hotdeploy.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotdeploy.integration.support.Generations;
import io.github.hotdeploy.integration.support.SlowRequestAcrossAHup;
import io.github.hotdeploy.testsupport.FreePorts;
import io.github.hotdeploy.testsupport.Jdk;
import io.github.hotdeploy.testsupport.Repo;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Netty on its NIO transport answers /sleep from a scheduled task and keeps read interest on the
 * connection meanwhile: to the JDK's selector the connection looks idle (waiting to read, nothing
 * unread). Only the kernel's tcp_info says that the client spoke last; the drain reads it through
 * Netty's native, which it loads for that where the app ships netty-transport-native-epoll (the
 * test app does, for its epoll mode). Found by the restart harness's in-flight check: before, the
 * drain half-closed the connection within 50 ms of TERM and the request got no answer.
 *
 * <p>Vert.x runs Netty's NIO transport without the native library (its default): tcp_info
 * cannot be read, and a quiet connection waiting to read counts as owing an answer. Before, the
 * drain left it to the app's shutdown after the grace period, and Vert.x's close ended the
 * request unanswered (the restart harness's in-flight check).
 */
class AsyncAnswerDrainIT {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.hotdeploy.integration.support.Generations#javas")
    void aRequestAnsweredFromAnotherTaskOnNettyNioGets200AcrossAHup(Jdk jdk) throws Exception {
        assertThat(slowRequestAcrossAHup(jdk.java(), "netty", "netty-nio", 3000)).contains("): done in");
    }

    @Test
    void aRequestAnsweredByATimerOnVertxWithoutNettysNativeGets200AcrossAHup() throws Exception {
        // A sleep far longer than the grace period, as well as than the next generation's start-up.
        assertThat(slowRequestAcrossAHup(Repo.java17(), "vertx", "vertx", 5000))
                .contains("): Netty's NIO transport runs without its native");
    }

    /**
     * A GET /sleep in flight in the old generation across a HUP: it gets its 200 from that
     * generation, new connections go to the next one, and the old one exits with no warning.
     * Returns start_server's lines about the old generation's drain.
     */
    private static String slowRequestAcrossAHup(String java, String app, String server, long baseSleepMs)
            throws Exception {
        int port = FreePorts.tcp();
        SlowRequestAcrossAHup.Outcome outcome = SlowRequestAcrossAHup
                .of(port, List.of(Repo.startServer().toString(), "--port=127.0.0.1:" + port, "--drain-timeout=90", "--",
                        java, "-jar", Repo.testApp(app).toString(), "--port=" + port))
                .sleep(baseSleepMs, 50_000).run(draining -> {
                    assertThat(Generations.awaitAnsweredByOtherThan(port, draining.old())).isNotEqualTo(draining.old());
                    return 0;
                });
        assertThat(outcome.response().body()).contains("server=" + server, "pid=" + outcome.old(),
                "slept=" + outcome.sleepMs());
        String drain = "drain (pid " + outcome.old() + ")";
        return String.join("\n", outcome.output().lines().filter(line -> line.contains(drain)).toList());
    }
}
