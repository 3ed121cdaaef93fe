package io.github.hotdeploy.integration;

import static io.github.hotdeploy.integration.support.Generations.awaitExit;
import static io.github.hotdeploy.integration.support.Generations.awaitServedBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.hotdeploy.integration.support.Generations;
import io.github.hotdeploy.testsupport.FreePorts;
import io.github.hotdeploy.testsupport.Jdk;
import io.github.hotdeploy.testsupport.ManagedProcess;
import io.github.hotdeploy.testsupport.Repo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class cache as users get it (on by default; every other test here turns it off): the agent
 * and a JDK 25 AOT cache together. A JVM booted from an AOT cache loads the app's cached classes
 * before the agent's premain, so a hooked class of the app (Netty's native Socket) never passes
 * through the transformer as it loads. Found by the restart harness on netty-epoll, JDK 25: from
 * the first generation booted from the cache on, every generation died on "Address already in
 * use" and start_server respawned it forever.
 */
class ClassCacheAdoptionIT {

    @Test
    void aGenerationBootedFromTheAotCacheAdoptsNettysNativeBind(@TempDir Path cache) throws Exception {
        int port = FreePorts.tcp();
        try (ManagedProcess starter = ManagedProcess.start(List.of(Repo.startServer().toString(), "--port=127.0.0.1:" + port,
                "--class-cache=auto", "--cache-dir=" + cache.resolve("cache"), "--", Jdk.JDK_25.java(), "-jar",
                Repo.testApp("netty").toString(), "--port=" + port, "--transport=epoll"), Map.of())) {
            long first = awaitServedBy(starter, port);
            starter.awaitOutput("class cache: generation 1 records what it loads");

            starter.signal("HUP");
            awaitExit(first);
            long second = starter.awaitOnlyChild();
            await("the AOT cache made from what generation 1 loaded").atMost(Duration.ofMinutes(5))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> starter.output().contains("from what generation 1 loaded"));
            assertThat(starter.output()).contains("class cache: made");

            starter.signal("HUP");
            starter.awaitOutput("class cache: generation 3 boots from");
            awaitExit(second);
            long third = Generations.awaitAnsweredByOtherThan(port, second);
            assertThat(third).isNotIn(first, second);
            assertThat(starter.output()).doesNotContain("Address already in use")
                    .contains("adopted inherited socket 127.0.0.1:" + port);
            assertThat(starter.linesContaining("start_server-agent: warning")).as(starter.output()).isEmpty();
        }
    }
}
