package io.github.hotdeploy.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole tool against real sockets: the JDK's HTTP server, and scripted misbehaving ones. */
class LoadGeneratorTest {

    @TempDir
    Path out;

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    private int run(String... args) throws InterruptedException {
        int status = LoadGenerator.run(args, new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
        // Both streams, so that a failing assertion shows what the tool said.
        System.out.println(stdout.toString(StandardCharsets.UTF_8) + stderr.toString(StandardCharsets.UTF_8));
        return status;
    }

    @Test
    void aHealthyServerGivesAPassAndAllTheFiles() throws Exception {
        // Without it the JDK server's responses wait ~40 ms on delayed ACKs (see the demo app).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExecutorService executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        // The mark is read after the run; it falls 100 ms after the first request reached the
        // server, so inside the 0.6 s run however late a loaded machine starts it.
        Path marks = out.resolve("marks");
        AtomicBoolean first = new AtomicBoolean(true);
        server.createContext("/", exchange -> {
            if (first.getAndSet(false)) {
                Files.writeString(marks, (System.currentTimeMillis() + 100) + " SIGHUP 1\n");
            }
            byte[] body = "hello".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            int status = run("--port=" + server.getAddress().getPort(), "--connections=2", "--duration=0.6",
                    "--rate=500", "--out=" + out, "--marks=" + marks, "--raw");

            assertThat(status).isEqualTo(LoadGenerator.EXIT_OK);
            assertThat(stdout.toString(StandardCharsets.UTF_8))
                    .containsPattern(" (\\d+) total, \\1 ok, 0 failed")
                    .contains("duration of 0.6 s elapsed")
                    .contains("SIGHUP 1")
                    .contains("PASS");
            String json = Files.readString(out.resolve("summary.json"));
            assertThat(json).contains("\"failed\": 0").contains("\"label\":\"SIGHUP 1\"");
            List<String> requests = Files.readAllLines(out.resolve("requests.csv"));
            // Paced at 500/s for 0.6 s: the pacing caps it near 300; how many fit in 0.6 s on a
            // loaded 2-core machine is a timing, not something a test can rely on (CI saw 8).
            assertThat(requests.size() - 1).isBetween(1, 302);
            assertThat(json).contains("\"total\": " + (requests.size() - 1) + ",");
            List<String> timeline = Files.readAllLines(out.resolve("timeline.csv"));
            assertThat(timeline.get(0)).isEqualTo(CsvFiles.TIMELINE_HEADER);
            assertThat(timeline.subList(1, timeline.size()).stream()
                    .mapToInt(line -> Integer.parseInt(line.split(",")[2])).sum()).isEqualTo(requests.size() - 1);
            assertThat(timeline).anyMatch(line -> line.endsWith(",SIGHUP 1"));
            assertThat(Files.readAllLines(out.resolve("failures.csv"))).containsExactly(CsvFiles.REQUESTS_HEADER);
        } finally {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    @Test
    void closeModeUsesANewConnectionPerRequest() throws Exception {
        try (ScriptedServer server = new ScriptedServer((socket, in) -> {
            // Serves at most one request per connection and says so.
            if (ScriptedServer.readRequestHead(in)) {
                socket.getOutputStream().write("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
            }
        })) {
            int status = run("--port=" + server.port(), "--connections=2", "--requests=40", "--mode=close");

            assertThat(status).isEqualTo(LoadGenerator.EXIT_OK);
            assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("40 total, 40 ok, 0 failed");
        }
    }

    @Test
    void anIdleCloseFailsTheRequestAndIsResentOnlyWhenAskedYetStillFailsTheRun() throws Exception {
        ScriptedServer.Script answerOneThenCloseAsIdle = (socket, in) -> {
            // Answers one request as if keeping the connection, then closes it as idle.
            if (ScriptedServer.readRequestHead(in)) {
                ScriptedServer.respond(socket, 200, "ok");
                ScriptedServer.closeGracefully(socket, in);
            }
        };
        try (ScriptedServer server = new ScriptedServer(answerOneThenCloseAsIdle)) {
            int status = run("--port=" + server.port(), "--connections=1", "--requests=3", "--out=" + out);

            // Without resending (the default), the second request meets the FIN: a failure, as for wrk.
            assertThat(status).isEqualTo(LoadGenerator.EXIT_FAILED_REQUESTS);
            String json = Files.readString(out.resolve("summary.json"));
            assertThat(json).contains("\"premature_eof\":1").contains("\"resent\": {\"total\": 0,")
                    .contains("\"pass\": false");
        }
        stdout.reset();
        try (ScriptedServer server = new ScriptedServer(answerOneThenCloseAsIdle)) {
            int status = run("--port=" + server.port(), "--connections=2", "--requests=50", "--out=" + out,
                    "--resend=idle-close");

            assertThat(status).isEqualTo(LoadGenerator.EXIT_FAILED_REQUESTS);
            String json = Files.readString(out.resolve("summary.json"));
            assertThat(json).contains("\"ok\": 50").contains("\"failed\": 0").contains("\"failedOrResent\": 48");
            // Each client's first request uses a fresh connection; every later one meets a closed one.
            assertThat(json).contains("\"resent\": {\"total\": 48, \"thenSucceeded\": 48, \"thenFailed\": 0}");
            assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("FAIL: 48 of 50 requests failed or were resent");
            assertThat(Files.readAllLines(out.resolve("failures.csv"))).hasSize(49);
        }
    }

    @Test
    void postsAreNeverResentAndCutOrWrongBodiesAreFailuresOfTheirOwn() throws Exception {
        byte[] expected = io.github.hotdeploy.testapps.common.Bodies.pattern(0, 1000);
        try (ScriptedServer cuts = new ScriptedServer((socket, in) -> {
            // A 200 with the right head, then half the body and the end of the connection.
            if (ScriptedServer.readRequestHead(in)) {
                socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().write(expected, 0, 500);
            }
        });
             ScriptedServer wrong = new ScriptedServer((socket, in) -> {
                 while (ScriptedServer.readRequestHead(in)) {
                     byte[] body = expected.clone();
                     body[999] = '!';
                     socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
                             .getBytes(StandardCharsets.US_ASCII));
                     socket.getOutputStream().write(body);
                 }
             })) {
            assertThat(run("--port=" + cuts.port(), "--connections=1", "--requests=2", "--sizes=1000", "--framing=length",
                    "--seeds=1", "--resend=idle-close")).isEqualTo(LoadGenerator.EXIT_FAILED_REQUESTS);
            assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("cut_response 2").contains("resent         0")
                    .contains("500 of 1000 body bytes missing");
            stdout.reset();
            assertThat(run("--port=" + wrong.port(), "--connections=1", "--requests=3", "--sizes=1000", "--framing=length",
                    "--seeds=1")).isEqualTo(LoadGenerator.EXIT_FAILED_REQUESTS);
            assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("body_mismatch 3")
                    .contains("GET 1000 B: body differs at byte 999 of 1000 (got '!')");
        }
        stdout.reset();
        try (ScriptedServer idle = new ScriptedServer((socket, in) -> {
            // Reads a whole POST, answers it, then closes as idle: the next POST meets the FIN.
            if (ScriptedServer.readRequestHead(in)) {
                in.readNBytes(5);
                ScriptedServer.respond(socket, 200, io.github.hotdeploy.testapps.common.Bodies.echo(
                        io.github.hotdeploy.testapps.common.Bodies.pattern(0, 5), 5));
                ScriptedServer.closeGracefully(socket, in);
            }
        })) {
            assertThat(run("--port=" + idle.port(), "--connections=1", "--requests=2", "--post-sizes=5", "--seeds=1",
                    "--resend=idle-close")).isEqualTo(LoadGenerator.EXIT_FAILED_REQUESTS);
            assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("1 ok, 1 failed").contains("premature_eof 1")
                    .contains("resent         0");
        }
    }

    @Test
    void aConnectionTheServerEndedWhileIdleIsReplacedBeforeTheNextRequest() throws Exception {
        try (ScriptedServer server = new ScriptedServer((socket, in) -> {
            // Answers one request as if keeping the connection, then ends it and lets it go.
            if (ScriptedServer.readRequestHead(in)) {
                ScriptedServer.respond(socket, 200, "ok");
                socket.shutdownOutput();
            }
        })) {
            // One request every 1.25 s: each connection sits idle past the stale-check threshold.
            int status = run("--port=" + server.port(), "--connections=1", "--rate=0.8", "--requests=3",
                    "--out=" + out);

            assertThat(status).isEqualTo(LoadGenerator.EXIT_OK);
            String json = Files.readString(out.resolve("summary.json"));
            assertThat(json).contains("\"ok\": 3").contains("\"failed\": 0")
                    .contains("\"resent\": {\"total\": 0,").contains("\"staleConnectionsReplaced\": 2");
        }
    }

    @Test
    void non2xxStatusesFailTheRunAndAreCountedByStatus() throws Exception {
        try (ScriptedServer server = new ScriptedServer((socket, in) -> {
            while (ScriptedServer.readRequestHead(in)) {
                ScriptedServer.respond(socket, 503, "busy");
            }
        })) {
            int status = run("--port=" + server.port(), "--connections=1", "--requests=5");

            assertThat(status).isEqualTo(LoadGenerator.EXIT_FAILED_REQUESTS);
            assertThat(stdout.toString(StandardCharsets.UTF_8))
                    .contains("5 total, 0 ok, 5 failed")
                    .contains("non-2xx        5 (503: 5)")
                    .contains("FAIL");
        }
    }

    @Test
    void socketErrorsAreCountedByKind() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (ScriptedServer silent = new ScriptedServer((socket, in) -> {
                ScriptedServer.readRequestHead(in);
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
             ScriptedServer hangsUp = new ScriptedServer((socket, in) -> ScriptedServer.readRequestHead(in));
             ScriptedServer resets = new ScriptedServer((socket, in) -> {
                 ScriptedServer.readRequestHead(in);
                 socket.setSoLinger(true, 0);
             })) {
            try {
                assertThat(run("--port=" + silent.port(), "--requests=2", "--connections=1", "--timeout-ms=200"))
                        .isEqualTo(LoadGenerator.EXIT_FAILED_REQUESTS);
                assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("timeout 2");
            } finally {
                release.countDown();
            }
            stdout.reset();
            run("--port=" + hangsUp.port(), "--requests=3", "--connections=1");
            assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("premature_eof 3").contains("resent         0");
            stdout.reset();
            run("--port=" + resets.port(), "--requests=3", "--connections=1");
            assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("reset 3");
        }
        stdout.reset();
        run("--port=" + closedPort(), "--requests=3", "--connections=1");
        assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("connect_refused 3");
    }

    @Test
    void usageErrorsExitWith2() throws Exception {
        assertThat(run("--host=192.0.2.1")).isEqualTo(LoadGenerator.EXIT_USAGE);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("refusing non-loopback");
    }

    /** A port that was free a moment ago; nothing on loopback listens there now. */
    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
