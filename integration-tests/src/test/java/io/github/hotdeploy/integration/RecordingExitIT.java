package io.github.hotdeploy.integration;

import static io.github.hotdeploy.integration.support.Generations.awaitExit;
import static io.github.hotdeploy.integration.support.Generations.awaitServedBy;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotdeploy.testsupport.FreePorts;
import io.github.hotdeploy.testsupport.Jdk;
import io.github.hotdeploy.testsupport.ManagedProcess;
import io.github.hotdeploy.testsupport.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JDK 25 generation that records the class cache writes it as it exits, after its shutdown
 * hooks: seconds the old generation would add to every stop. start_server watches that exit
 * (the JVM's own log of the writing): on a restart it lets the writing finish at nice 19 and says
 * how long it took; when start_server stops it kills the writer at once, since the recording
 * would be discarded anyway.
 */
class RecordingExitIT {

    private static ManagedProcess startServer(int port, Path cache) throws Exception {
        return ManagedProcess.start(List.of(Repo.startServer().toString(), "--port=127.0.0.1:" + port,
                "--class-cache=auto", "--cache-dir=" + cache, "--", Jdk.JDK_25.java(), "-jar", Repo.demoJar().toString(),
                "--host=127.0.0.1", "--port=" + port), Map.of());
    }

    @Test
    void aRestartLetsTheRecordingBeWrittenAStopDoesNotWaitForIt(@TempDir Path tmp) throws Exception {
        int port = FreePorts.tcp();
        try (ManagedProcess starter = startServer(port, tmp.resolve("restarted"))) {
            long first = awaitServedBy(starter, port);
            starter.awaitOutput("class cache: generation 1 records what it loads");
            starter.signal("HUP");
            awaitExit(first);
            starter.awaitOutput("class cache: generation 1 wrote what it loaded in ");
            assertThat(starter.output()).doesNotContain("recording is discarded");
        }

        port = FreePorts.tcp();
        Path cache = tmp.resolve("stopped");
        try (ManagedProcess starter = startServer(port, cache)) {
            awaitServedBy(starter, port);
            starter.awaitOutput("class cache: generation 1 records what it loads");
            starter.signal("TERM");
            assertThat(starter.process().waitFor(ManagedProcess.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(starter.process().exitValue()).as(starter.output()).isZero();
            assertThat(starter.output()).as("the application shut down first, then the writing was cut")
                    .containsSubsequence("stopped after serving", "class cache: generation 1 was writing what it loaded as "
                            + "it exited, after its application had shut down; killed: start_server is stopping");
            try (var left = Files.list(cache)) {
                assertThat(left).as("nothing of the recording is left").isEmpty();
            }
        }
    }
}
