package io.github.hotdeploy.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotdeploy.integration.support.Generations;
import io.github.hotdeploy.integration.support.SlowRequestAcrossAHup;
import io.github.hotdeploy.testsupport.FreePorts;
import io.github.hotdeploy.testsupport.Http;
import io.github.hotdeploy.testsupport.Jdk;
import io.github.hotdeploy.testsupport.Repo;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Servers that accept with a thread blocked in accept(2): a plain {@code ServerSocket} loop
 * (NioSocketImpl), Tomcat NIO's and Jetty's acceptors (a blocking {@code ServerSocketChannel}),
 * and the legacy PlainSocketImpl, which waits in poll(2) instead.
 * When the old generation's drain begins, that thread is already inside the kernel's accept on
 * the shared socket; the kernel hands a new connection to its longest waiter, which is that
 * thread, not the next generation's. Unless the drain gets it out, the old generation takes the
 * first connection after its drain began, possibly after the drain's last look, and exits with
 * it unanswered (a reset, seen in the restart harness).
 */
class BlockingAcceptorDrainIT {

    /**
     * Each way to block in accept(2) on each JDK, whose internals the drain reaches into: a
     * ServerSocket (NioSocketImpl) on both, a blocking ServerSocketChannel through Tomcat on 17
     * and through Jetty on 25. Tomcat's and Jetty's acceptors differ in their threads, not by JDK.
     */
    static Stream<Arguments> serversAndJavas() {
        return Stream.concat(Generations.onEachJava("serversocket"),
                Stream.of(Arguments.of("tomcat", Jdk.JDK_17), Arguments.of("jetty", Jdk.JDK_25)));
    }

    /**
     * A slow request keeps the old generation draining; every new connection made after its drain
     * began, the first included, is answered by the next generation; the slow one still gets 200.
     */
    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("serversAndJavas")
    void onceTheDrainBeganTheOldGenerationTakesNoNewConnection(String server, Jdk jdk) throws Exception {
        String java = jdk.java();
        String output = drainWithNewConnections(List.of(java), server);
        assertThat(output).contains("drain: released 1 thread(s) blocked in accept");
    }

    /**
     * The legacy PlainSocketImpl (JDK 8-12; 13-17 with -Djdk.net.usePlainSocketImpl=true) records
     * no accepting thread, so the drain cannot signal it; it needs no signal either: it waits in
     * poll(2), which the shared socket wakes, and then calls accept(2) by fd number, which by then
     * names the dummy.
     */
    @Test
    void theLegacyPlainSocketImplWaitsInPollSoItTakesNoNewConnectionEither() throws Exception {
        String output = drainWithNewConnections(List.of(Repo.java17(), "-Djdk.net.usePlainSocketImpl=true"),
                "serversocket");
        assertThat(output).doesNotContain("released");
    }

    /** The scenario above; returns start_server's output. */
    private static String drainWithNewConnections(List<String> java, String server) throws Exception {
        int port = FreePorts.tcp();
        List<String> command = new ArrayList<>(List.of(Repo.startServer().toString(), "--port=127.0.0.1:" + port,
                "--drain-timeout=90", "--"));
        command.addAll(java);
        command.addAll(List.of("-jar", Repo.testApp(server).toString(), "--port=" + port));
        SlowRequestAcrossAHup.Outcome outcome = SlowRequestAcrossAHup.of(port, command).run(draining -> {
            long old = draining.old();
            assertThat(ProcessHandle.of(old).map(ProcessHandle::isAlive)).contains(true);
            List<Long> answering = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                answering.add(Http.get(port, "/").pid());
            }
            assertThat(answering).as("who answered new connections while %d drains; start_server said:%n%s", old,
                    draining.starter().output()).doesNotContain(old, -1L).containsOnly(answering.get(0));
            assertThat(ProcessHandle.of(old).map(ProcessHandle::isAlive)).as("still draining").contains(true);
            return 0;
        });
        assertThat(outcome.response().body()).contains("pid=" + outcome.old(), "slept=" + outcome.sleepMs());
        assertThat(outcome.output()).contains("drain (pid " + outcome.old() + "): done in");
        return outcome.output();
    }
}
