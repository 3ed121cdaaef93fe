package io.github.hotdeploy.integration;

import static io.github.hotdeploy.integration.support.Generations.awaitExit;
import static io.github.hotdeploy.integration.support.Generations.awaitServedBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.hotdeploy.testsupport.FreePorts;
import io.github.hotdeploy.testsupport.Jdk;
import io.github.hotdeploy.testsupport.ManagedProcess;
import io.github.hotdeploy.testsupport.Processes;
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
 * how long it took, and {@code --restart} returns without waiting for it; when start_server stops
 * it kills the writer at once, since the recording would be discarded anyway.
 */
class RecordingExitIT {

    private static ManagedProcess startServer(int port, Path cache, String... options) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Repo.startServer().toString(), "--port=127.0.0.1:" + port,
                "--class-cache=auto", "--cache-dir=" + cache));
        command.addAll(List.of(options));
        command.addAll(List.of("--", Jdk.JDK_25.java(), "-jar", Repo.demoJar().toString(), "--host=127.0.0.1",
                "--port=" + port));
        return ManagedProcess.start(command, Map.of());
    }

    @Test
    void aRestartLetsTheRecordingBeWrittenWithoutWaitingForItAStopCutsIt(@TempDir Path tmp) throws Exception {
        int port = FreePorts.tcp();
        Path restarted = tmp.resolve("restarted");
        String pidFile = "--pid-file=" + tmp.resolve("pid");
        String statusFile = "--status-file=" + tmp.resolve("status");
        try (ManagedProcess starter = startServer(port, restarted, pidFile, statusFile)) {
            long first = awaitServedBy(starter, port);
            starter.awaitOutput("class cache: generation 1 records what it loads");
            Process restart = new ProcessBuilder(Repo.startServer().toString(), "--restart", pidFile, statusFile)
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("restart.out").toFile()).start();
            try {
                // Held still while it writes what it loaded (its application has shut down): the
                // writing then takes for ever, which --restart must not wait for.
                await("generation 1 writes what it loaded").atMost(ManagedProcess.PATIENCE)
                        .pollInterval(java.time.Duration.ofMillis(10)).until(() -> writing(restarted));
                Processes.signal(first, "STOP");
                assertThat(restart.waitFor(ManagedProcess.PATIENCE.toSeconds(), TimeUnit.SECONDS))
                        .as("--restart returned while the old generation wrote its recording").isTrue();
                assertThat(restart.exitValue()).as(Files.readString(tmp.resolve("restart.out"))).isZero();
                assertThat(ProcessHandle.of(first).map(ProcessHandle::isAlive)).as("still writing").contains(true);
                assertThat(Files.readAllLines(tmp.resolve("status"))).as("still listed, as a live process")
                        .contains("1:" + first);
            } finally {
                restart.destroyForcibly();
                try {
                    Processes.signal(first, "CONT");
                } catch (IllegalStateException gone) {
                    // killed meanwhile (start_server's limit on the writing): nothing to resume
                }
            }
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

    /** The recording JVM's own log shows it writing what it loaded, as start_server's exit watch reads it. */
    private static boolean writing(Path cache) throws java.io.IOException {
        try (var files = Files.list(cache)) {
            for (Path log : files.filter(f -> f.toString().endsWith(".record.log")).toList()) {
                if (Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1).contains("linking classes")) {
                    return true;
                }
            }
        }
        return false;
    }
}
