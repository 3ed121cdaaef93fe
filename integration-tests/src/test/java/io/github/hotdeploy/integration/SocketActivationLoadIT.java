package io.github.hotdeploy.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.hotdeploy.testsupport.FreePorts;
import io.github.hotdeploy.testsupport.Http;
import io.github.hotdeploy.testsupport.ManagedProcess;
import io.github.hotdeploy.testsupport.Repo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What systemctl restart does to a socket-activated service, under wrk: start_server itself is
 * stopped and started again while the socket, passed by systemd's {@code systemd-socket-activate},
 * stays open in between (a shell holds it and starts the next start_server with LISTEN_PID set,
 * as systemd does). The demo app drains on each stop; the next start_server's generation serves
 * what waited in the backlog. wrk counts every connect, read, write error, timeout and non-2xx.
 */
class SocketActivationLoadIT {
    private static final String HOLDER = "while [ ! -e \"$STOP\" ]; do "
            + "/bin/sh -c 'export LISTEN_PID=$$; exec \"$@\"' start_server \"$@\"; done";

    /**
     * Long enough for one stop and start of start_server (3 to 6 s on a loaded 2-core box) with
     * load before and after it; the test fails if the restart did not fit inside it.
     */
    private static final int LOAD_SECONDS = 15;

    @TempDir
    Path tmp;

    @Test
    void restartingStartServerItselfUnderWrkLoadFailsNoRequest() throws Exception {
        int port = FreePorts.tcp();
        Path pidFile = tmp.resolve("start_server.pid");
        String startServer = Repo.root().resolve("launcher/target/dist/bin/start_server").toString();
        List<String> command = List.of("systemd-socket-activate", "--listen=127.0.0.1:" + port,
                "-E", "STOP=" + tmp.resolve("stop"), "-E", "PORT=" + port,
                "/bin/sh", "-c", HOLDER, "holder",
                startServer, "--port=127.0.0.1:" + port, "--pid-file=" + pidFile, "--",
                Repo.java17(), "-jar", Repo.demoJar().toString());
        try (ManagedProcess held = ManagedProcess.start(command, Map.of())) {
            held.awaitOutput("Listening on 127.0.0.1:" + port);
            // The first connection makes systemd-socket-activate exec the holder.
            await("the demo app serving").atMost(ManagedProcess.PATIENCE).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions().until(() -> Http.get(port, "/").status() == 200);

            Process wrk = new ProcessBuilder("wrk", "--threads=2", "--connections=8", "--duration=" + LOAD_SECONDS + "s",
                    "--timeout=30s",
                    "http://127.0.0.1:" + port + "/").redirectErrorStream(true).start();
            try {
                // One restart here; SocketActivationIT (launcher) does three under a connection loop.
                for (int restart = 1; restart <= 1; restart++) {
                    long before = pid(pidFile);
                    await("requests answered by start_server " + before).atMost(ManagedProcess.PATIENCE)
                            .until(() -> servedBy(port) > 0);
                    Process stop = new ProcessBuilder(startServer, "--stop", "--pid-file=" + pidFile)
                            .redirectErrorStream(true).start();
                    assertThat(stop.waitFor(120, TimeUnit.SECONDS)).isTrue();
                    assertThat(stop.exitValue()).isZero();
                    await("the next start_server").atMost(ManagedProcess.PATIENCE).pollInterval(Duration.ofMillis(100))
                            .ignoreExceptions().until(() -> pid(pidFile) != before);
                    await("the next start_server's generation serving").atMost(ManagedProcess.PATIENCE)
                            .pollInterval(Duration.ofMillis(100)).until(() -> servedBy(port) > 0);
                    assertThat(wrk.isAlive()).as("the restart happened under load: raise LOAD_SECONDS").isTrue();
                }
                assertThat(wrk.waitFor(180, TimeUnit.SECONDS)).isTrue();
            } finally {
                Files.createFile(tmp.resolve("stop"));
                if (wrk.isAlive()) {
                    wrk.destroy();
                }
            }
            String report = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            System.out.println(report);
            assertThat(report).as("wrk counts no error").doesNotContain("Socket errors").doesNotContain("Non-2xx");
            Matcher requests = Pattern.compile("(\\d+) requests in").matcher(report);
            assertThat(requests.find()).as(report).isTrue();
            assertThat(Long.parseLong(requests.group(1))).isGreaterThan(1000);
            assertThat(held.linesContaining("using the socket systemd passed for 127.0.0.1:" + port)).hasSize(2);
        }
    }

    private static long pid(Path pidFile) throws java.io.IOException {
        String text = Files.readString(pidFile);
        if (!text.endsWith("\n")) {
            throw new java.io.IOException("pid file half written");
        }
        return Long.parseLong(text.trim());
    }

    /** The pid answering GET / now, or -1. */
    private static long servedBy(int port) {
        try {
            return Http.get(port, "/").pid();
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
