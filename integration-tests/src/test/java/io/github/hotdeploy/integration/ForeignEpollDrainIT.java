package io.github.hotdeploy.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import static io.github.hotdeploy.integration.support.Generations.awaitAnsweredByOtherThan;
import static io.github.hotdeploy.integration.support.Generations.awaitExit;
import static io.github.hotdeploy.integration.support.Generations.awaitServedBy;

import io.github.hotdeploy.integration.support.Apps;
import io.github.hotdeploy.integration.support.Generations;
import io.github.hotdeploy.integration.support.SlowRequestAcrossAHup;
import io.github.hotdeploy.testsupport.FreePorts;
import io.github.hotdeploy.testsupport.Http;
import io.github.hotdeploy.testsupport.Jdk;
import io.github.hotdeploy.testsupport.ManagedProcess;
import io.github.hotdeploy.testsupport.ProcFs;
import io.github.hotdeploy.testsupport.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The drain for servers whose listener sits in an epoll set the agent does not own: Netty's
 * native epoll transport and Tomcat NIO2 (AsynchronousServerSocketChannel on the JDK's EPollPort),
 * the unmodified test apps under bin/start_server, on JDK 17 and 25.
 */
class ForeignEpollDrainIT {

    private static final String NETTY_EPOLL = "netty-epoll";
    private static final String TOMCAT_NIO2 = "tomcat-nio2";

    static Stream<Arguments> serversAndJavas() {
        return Generations.onEachJava(NETTY_EPOLL, TOMCAT_NIO2);
    }

    /**
     * The slow request across a HUP runs once: what it asserts (200 from the old generation after
     * the next one serves, its exit, the hand-over) the idle-cheaply test below asserts too, on
     * both servers and both JDKs. This case keeps a short sleep, so that the drain ends soon after
     * it starts.
     */
    static Stream<Arguments> oneServerAndJava() {
        return Stream.of(Arguments.of(NETTY_EPOLL, Jdk.JDK_17));
    }

    /**
     * A GET /sleep whose generation gets TERM while it sleeps ends with 200 from that generation,
     * new connections meanwhile go to the next one, and the old one exits once it has answered.
     */
    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("oneServerAndJava")
    void aSlowRequestInFlightAcrossAHupGets200(String server, Jdk jdk) throws Exception {
        int port = FreePorts.tcp();
        SlowRequestAcrossAHup.Outcome outcome = SlowRequestAcrossAHup.of(port, command(server, jdk.java(), port))
                .exitWhileConnected().run(draining -> {
                    assertThat(draining.answer()).as("the slow request, when the drain began").isNotDone();
                    long next = awaitAnsweredByOtherThan(port, draining.old());
                    assertThat(draining.answer()).as("the slow request, once the next generation answered").isNotDone();
                    return next;
                });
        assertThat(outcome.response().body()).contains("pid=" + outcome.old(), "slept=" + outcome.sleepMs());
        assertThat(outcome.output()).contains("drain (pid " + outcome.old() + "): done in");
    }

    /**
     * While the old generation drains a slow request, it takes no new connection (its listener's
     * epoll registrations have no EPOLLIN and every new connection is answered by the next
     * generation), and it uses almost no CPU. Netty answers /sleep from a scheduled task and keeps
     * read interest meanwhile: only tcp_info tells the drain that this connection is not idle.
     */
    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("serversAndJavas")
    void whileDrainingTheOldGenerationAcceptsNothingAndIdlesCheaply(String server, Jdk jdk) throws Exception {
        String java = jdk.java();
        int port = FreePorts.tcp();
        SlowRequestAcrossAHup.Outcome outcome = SlowRequestAcrossAHup.of(port, command(server, java, port))
                .sleep(10_000, 55_000).exitWhileConnected().run(draining -> {
                    long old = draining.old();
                    assertThat(ProcessHandle.of(old).map(ProcessHandle::isAlive)).contains(true);

                    assertThat(listenerArmedForInput(old, port)).as("an epoll set of %d still waits to accept", old)
                            .isFalse();
                    long next = awaitAnsweredByOtherThan(port, old);
                    Set<Long> answering = new HashSet<>();
                    for (int i = 0; i < 20; i++) {
                        answering.add(Http.get(port, "/").pid());
                    }
                    assertThat(answering).as("who answered 20 new connections while %d drains", old)
                            .containsExactly(next);

                    double[] window = ProcFs.awaitQuietWindow(old, 3.0, Duration.ofSeconds(20));
                    System.out.printf("%s draining (%s): %.2f s CPU over %.2f s (%.3f s/s)%n", server, java, window[0],
                            window[1], window[0] / window[1]);
                    assertThat(ProcessHandle.of(old).map(ProcessHandle::isAlive)).as("still draining").contains(true);
                    assertThat(listenerArmedForInput(old, port)).isFalse();
                    assertThat((System.nanoTime() - draining.sentNanos()) / 1_000_000)
                            .as("the window ended before the request").isLessThan(draining.sleepMs());
                    return next;
                });
        assertThat(outcome.response().body()).contains("pid=" + outcome.old(), "slept=" + outcome.sleepMs());
        assertThat(outcome.output()).contains("drain (pid " + outcome.old() + "): done in");
    }

    /** Keep-alive load (8 connections, 1000 req/s) across two restarts: not one request fails. */
    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("serversAndJavas")
    void keepAliveLoadAcrossRestartsLosesNoRequest(String server, Jdk jdk, @TempDir Path out) throws Exception {
        String java = jdk.java();
        int port = FreePorts.tcp();
        try (ManagedProcess starter = start(server, java, port)) {
            long generation = awaitServedBy(starter, port);
            try (ManagedProcess bench = ManagedProcess.start(List.of(Repo.java17(), "-jar", Repo.benchJar().toString(),
                    "--url=http://127.0.0.1:" + port + "/", "--mode=keepalive", "--connections=8",
                    "--rate=1000", "--duration=300", "--timeout-ms=5000", "--out=" + out, "--progress"), Map.of())) {
                long total = awaitRequests(bench, 500);
                for (int restart = 0; restart < 2; restart++) {
                    long old = generation;
                    starter.signal("HUP");
                    awaitExit(old);
                    generation = starter.awaitOnlyChild();
                    assertThat(generation).isNotEqualTo(old);
                    assertThat(starter.output()).contains("drain (pid " + old + "): done in");
                    total = awaitRequests(bench, total + 1000);
                }
                bench.signal("TERM"); // ends the run early; the summary is still written
                assertThat(bench.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
                String summary = Files.readString(out.resolve("summary.json"));
                assertThat(number(summary, "total")).as(summary).isGreaterThan(2500);
                // nothing resent (the load generator resends nothing) and nothing failed
                assertThat(number(summary, "failedOrResent")).as(bench.output()).isZero();
            }
            assertThat(starter.linesContaining("start_server-agent: warning")).as(starter.output()).isEmpty();
        }
    }

    // ------------------------------------------------------------------------------------------

    private static ManagedProcess start(String server, String java, int port) throws IOException {
        return ManagedProcess.start(command(server, java, port), Map.of());
    }

    private static List<String> command(String server, String java, int port) throws IOException {
        // A drain bound well above the slow requests here: the drain is what is under test, not its timeout.
        List<String> command = new ArrayList<>(List.of(Repo.startServer().toString(), "--port=127.0.0.1:" + port,
                "--drain-timeout=90", "--"));
        command.addAll(Apps.argv(server, java, port, Repo.workDir("ForeignEpollDrainIT-" + server + "-" + port)));
        return command;
    }

    /** The load generator's request count once its progress line reaches {@code atLeast}. */
    private static long awaitRequests(ManagedProcess bench, long atLeast) {
        long[] seen = new long[1];
        await("the load generator past " + atLeast + " requests").atMost(ManagedProcess.PATIENCE)
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    Matcher m = Pattern.compile("\\] (\\d+) requests").matcher(bench.output());
                    while (m.find()) {
                        seen[0] = Long.parseLong(m.group(1));
                    }
                    return seen[0] >= atLeast;
                });
        return seen[0];
    }

    /**
     * Whether an epoll set of {@code pid} would report the listening socket on {@code port} as
     * ready to accept: a registration of that socket (by inode) with EPOLLIN, from
     * /proc/PID/fdinfo of each epoll fd.
     */
    private static boolean listenerArmedForInput(long pid, int port) throws IOException {
        String inode = listeningInode(pid, port);
        assertThat(inode).as("the socket listening on %d in %d", port, pid).isNotNull();
        String hexInode = Long.toHexString(Long.parseLong(inode));
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException gone) {
                    continue;
                }
                if (!target.equals("anon_inode:[eventpoll]")) {
                    continue;
                }
                List<String> lines;
                try {
                    lines = Files.readAllLines(Path.of("/proc/" + pid + "/fdinfo/" + fd.getFileName()));
                } catch (IOException gone) {
                    continue;
                }
                for (String line : lines) {
                    String[] f = line.trim().split("\\s+");
                    if (line.startsWith("tfd:") && line.contains(" ino:" + hexInode + " ")
                            && (Long.parseLong(f[3], 16) & 0x1) != 0) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The inode of the socket listening on 127.0.0.1:port, from /proc/PID/net/tcp. */
    private static String listeningInode(long pid, int port) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/net/tcp"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 9 && f[3].equals("0A") && f[1].endsWith(String.format(":%04X", port))) {
                return f[9];
            }
        }
        return null;
    }

    private static long number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*(\\d+)").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no " + field + " in " + json);
        }
        return Long.parseLong(m.group(1));
    }
}
