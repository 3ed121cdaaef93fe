package io.github.hotdeploy.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import static io.github.hotdeploy.integration.support.Generations.awaitExit;

import io.github.hotdeploy.testsupport.FreePorts;
import io.github.hotdeploy.testsupport.Jdk;
import io.github.hotdeploy.testsupport.ManagedProcess;
import io.github.hotdeploy.testsupport.ProcFs;
import io.github.hotdeploy.testsupport.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 (h2c, Jetty 12) across a restart, with clients that never send a request twice:
 * <ul>
 *   <li>long-lived connections (the JDK 25 HttpClient, which opens a new connection on GOAWAY):
 *       the old generation's connections get a graceful GOAWAY in the app's own frame stream once
 *       the grace period is over, finish their streams, and the old JVM exits while the load goes
 *       on over connections to the new one. The drain timeout (5 s) is shorter than the load: a
 *       drain that only waited would hand over to Jetty's stop with streams open;</li>
 *   <li>h2load, whose clients stop on a GOAWAY (its own limit: it cannot move requests to a new
 *       connection), in its rate mode: each connection makes its share of requests and closes, new
 *       ones reach the new generation, and a grace period longer than their lives lets every
 *       connection of the old generation end on its own.</li>
 * </ul>
 */
class Http2DrainIT {

    private static ManagedProcess startJetty(int port, String... options) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Repo.startServer().toString(), "--port=127.0.0.1:" + port));
        command.addAll(List.of(options));
        command.addAll(List.of("--", Repo.java17(), "-jar", Repo.testApp("jetty").toString(), "--port",
                String.valueOf(port), "--h2c", "yes"));
        ManagedProcess starter = ManagedProcess.start(command, Map.of());
        starter.awaitOutput("start_server-agent: ready: accepting on");
        return starter;
    }

    @Test
    void longLivedConnectionsGetGoawayAndLoseNoRequest(@TempDir Path work) throws Exception {
        // JDK 25's HttpClient: before JDK 24 it fails a connection's requests on any GOAWAY.
        String java25 = Jdk.JDK_25.java();
        int port = FreePorts.tcp();
        try (ManagedProcess starter = startJetty(port, "--drain-timeout=5")) {
            long old = starter.awaitOnlyChild();
            // At most 120 s of load; the test stops it once the next generation holds its connections.
            Path stop = work.resolve("stop");
            try (ManagedProcess clients = ManagedProcess.start(List.of(java25, "-cp",
                    Repo.root().resolve("test-support/target/classes").toString(),
                    "io.github.hotdeploy.testsupport.Http2Clients", String.valueOf(port), "120", "8", stop.toString()),
                    Map.of())) {
                await("the client's connection to generation 1").atMost(ManagedProcess.PATIENCE)
                        .pollInterval(Duration.ofMillis(100)).until(() -> ProcFs.connectionsHeld(old, port) >= 1);

                starter.signal("HUP");
                awaitExit(old);
                assertThat(clients.process().isAlive()).as("the load still runs when the old generation is gone").isTrue();
                assertThat(starter.output()).containsPattern("drain \\(pid " + old + "\\): done in \\d+ ms \\(connections: "
                        + "[^)]*[1-9]\\d* HTTP/2 GOAWAY");
                long next = starter.awaitOnlyChild();
                await("the client's connection to generation 2").atMost(ManagedProcess.PATIENCE)
                        .pollInterval(Duration.ofMillis(100)).until(() -> ProcFs.connectionsHeld(next, port) >= 1);
                Files.createFile(stop);

                assertThat(clients.process().waitFor(ManagedProcess.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
                assertThat(clients.output()).containsPattern("ok=[1-9]\\d* http1=0 failures=\\{\\}");
                assertThat(clients.process().exitValue()).isZero();
            }
            assertThat(starter.linesContaining("start_server-agent: warning")).as(starter.output()).isEmpty();
        }
    }

    @Test
    void h2loadInRateModeLosesNoRequest() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/h2load")), "h2load (nghttp2-client) is not installed");
        int port = FreePorts.tcp();
        try (ManagedProcess starter = startJetty(port, "--drain-grace=20")) {
            long old = starter.awaitOnlyChild();
            // 10 new connections a second for 20 s, 50 requests each, 4 at a time
            try (ManagedProcess load = ManagedProcess.start(List.of("h2load", "-n", "10000", "-c", "200", "-r", "10",
                    "-m", "4", "http://127.0.0.1:" + port + "/"), Map.of())) {
                await("h2load's connections to generation 1").atMost(ManagedProcess.PATIENCE)
                        .pollInterval(Duration.ofMillis(50)).until(() -> ProcFs.connectionsHeld(old, port) >= 1);

                starter.signal("HUP");
                awaitExit(old);
                assertThat(load.process().isAlive()).as("the load still runs when the old generation is gone").isTrue();

                assertThat(load.process().waitFor(ManagedProcess.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
                Matcher m = Pattern.compile("requests: (\\d+) total, \\d+ started, \\d+ done, (\\d+) succeeded, (\\d+) failed, "
                        + "(\\d+) errored, (\\d+) timeout").matcher(load.output());
                assertThat(m.find()).as(load.output()).isTrue();
                assertThat(m.group(2)).as(load.output()).isEqualTo("10000");
                assertThat(List.of(m.group(3), m.group(4), m.group(5))).as("failed, errored, timeout: " + load.output())
                        .containsOnly("0");
            }
            assertThat(starter.linesContaining("start_server-agent: warning")).as(starter.output()).isEmpty();
        }
    }
}
