package io.github.hotdeploy.integration.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.hotdeploy.integration.support.App;
import io.github.hotdeploy.integration.support.Apps;
import io.github.hotdeploy.testsupport.Jdk;
import io.github.hotdeploy.testsupport.Listen;
import io.github.hotdeploy.testsupport.ProcFs;
import io.github.hotdeploy.testsupport.Repo;
import io.github.hotdeploy.testsupport.StartServerRun;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Servers that listen on ports of their own besides the one start_server holds: the stock Tomcat
 * distribution (shutdown port 8005 and an AJP connector, as its server.xml ships), a Spring Boot
 * app with a separate management.server.port, H2 (web console given to start_server, TCP server
 * not). Each restarts twice with no error in its log: after the first generation, start_server
 * holds each extra port (it took the socket over from the generation that bound it) and every
 * later generation's JVM listens on that same socket.
 *
 * <p>CI runs one case per mechanism: the take-over (Tomcat's shutdown port through a
 * ServerSocket, its AJP connector through NIO; H2's TCP server), and the wait in the bind when
 * there was nothing to take over yet (the early restart). The Spring Boot app's regular restarts
 * (the same take-over as Tomcat's AJP connector, 30 s of Actuator start-ups) run with
 * {@code -Dit.matrix=full} (scripts/wrappers-matrix.sh).
 */
class ExtraPortsIT extends HotDeployTestBase {

    /** From a generation serving on start_server's port to its own ports listening (Spring Boot's second Tomcat). */
    private static final Duration EXTRA_PORTS = Duration.ofSeconds(90);

    /** Lines that would mean a generation met a port still taken. */
    private static final List<String> ERRORS = List.of("Address already in use", "SEVERE", "APPLICATION FAILED TO START",
            "could not be started", "seems to have failed to start", "died unexpectedly", "start_server: warning");

    private App app;
    private List<Integer> extraPorts;
    private String name;

    @Override
    protected App app() {
        return app;
    }

    @Override
    protected String caseName() {
        return "-" + name;
    }

    @Override
    protected int restarts() {
        return 2;
    }

    @Override
    protected void served(int generation, long jvmPid, StartServerRun run) throws Exception {
        for (int port : extraPorts) {
            await("generation " + generation + " listening on its own port " + port).atMost(EXTRA_PORTS)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> jvmListensOn(jvmPid, port));
            List<Long> listening = ProcFs.listeningTcpInodes(port);
            assertThat(listening).as("listening sockets on port %d", port).hasSize(1);
            if (generation > 1) {
                assertThat(ProcFs.socketFds(run.pid())).as("start_server holds port %d (fd=inode)", port)
                        .containsValue(listening.get(0));
            }
        }
        String log = run.log();
        for (String error : ERRORS) {
            assertThat(log).as("start_server's and the server's log").doesNotContain(error);
        }
        if (generation > 1) {
            for (int port : extraPorts) {
                assertThat(log).containsPattern("start_server: holding \\S+:" + port + ", which generation 1 \\(pid \\d+\\)"
                        + " listens on, for the next generations");
            }
        }
    }

    private static boolean jvmListensOn(long jvm, int port) throws Exception {
        List<Long> listening = ProcFs.listeningTcpInodes(port);
        Map<Integer, Long> sockets = ProcFs.socketFds(jvm);
        return listening.size() == 1 && sockets.containsValue(listening.get(0));
    }

    private void run(String name, App app, List<Integer> extraPorts, Jdk jdk) throws Exception {
        this.name = name;
        this.app = app;
        this.extraPorts = extraPorts;
        hotDeploy(jdk);
    }

    @Test
    void stockTomcatDistributionWithItsShutdownPortAndAnAjpConnector() throws Exception {
        int shutdown = Listen.freeTcpPort().port();
        int ajp = Listen.freeTcpPort().port();
        run("tomcat-stock", Apps.of("tomcat-dist-stock", shutdown, ajp), List.of(shutdown, ajp), Jdk.JDK_17);
    }

    @Test
    @EnabledIfSystemProperty(named = "it.matrix", matches = "full",
            disabledReason = "the full matrix only: scripts/wrappers-matrix.sh")
    void springBootWithASeparateManagementPort() throws Exception {
        int management = Listen.freeTcpPort().port();
        run("spring-boot-management", Apps.of("spring-boot-management", management), List.of(management), Jdk.JDK_17);
    }

    /**
     * A restart that comes as soon as the first generation serves, before its management port is
     * up: start_server has nothing to take over yet, so the new generation, once it has said
     * READY=1, waits in its bind of that port for the old one to let it go.
     */
    @Test
    void springBootRestartedBeforeItsManagementPortIsUp() throws Exception {
        Jdk jdk = Jdk.JDK_17;
        jdk.requireInstalled();
        int management = Listen.freeTcpPort().port();
        Listen main = Listen.freeTcpPort();
        java.nio.file.Path work = Repo.workDir("ExtraPortsIT-early-hup-" + jdk.name());
        App.Command boot = Apps.of("spring-boot-management", management).command(jdk, main, work);
        try (StartServerRun run = StartServerRun.start(work, main, List.of(), boot.argv(), boot.env())) {
            await("generation 1 ready").atMost(EXTRA_PORTS).pollInterval(Duration.ofMillis(50))
                    .until(() -> run.log().contains("start_server-agent: ready: accepting on [" + main.key() + "]"));
            run.hup();
            await("generation 2 alone, listening on its management port").atMost(EXTRA_PORTS)
                    .pollInterval(Duration.ofMillis(200)).failFast("start_server exited", () -> !run.isAlive())
                    .until(() -> run.generations().keySet().equals(java.util.Set.of(2))
                            && jvmListensOn(run.generations().get(2), management));
            String log = run.log();
            assertThat(log).containsAnyOf("is still taken by the previous generation", "start_server: holding");
            for (String error : ERRORS) {
                assertThat(log).as("start_server's and the server's log").doesNotContain(error);
            }
        } catch (AssertionError | Exception e) {
            e.addSuppressed(new AssertionError("start_server's log (" + work.resolve("start_server.log") + ")"));
            throw e;
        }
    }

    /**
     * H2 is a stranger whose pages are its own (no generation in them): the same restarts, told
     * apart by start_server's status file and the agent's ready lines instead.
     */
    @Test
    void h2WithItsTcpServerOnAPortOfItsOwn() throws Exception {
        Jdk jdk = Jdk.JDK_25;
        jdk.requireInstalled();
        int tcp = Listen.freeTcpPort().port();
        Listen web = Listen.freeTcpPort();
        java.nio.file.Path work = Repo.workDir("ExtraPortsIT-h2-" + jdk.name());
        App h2 = Apps.of("h2", tcp);
        App.Command h2Command = h2.command(jdk, web, work);
        try (StartServerRun run = StartServerRun.start(work, web, List.of(), h2Command.argv(), h2Command.env())) {
            extraPorts = List.of(tcp);
            long previous = -1;
            for (int generation = 1; generation <= 3; generation++) {
                if (generation > 1) {
                    run.hup();
                }
                int expected = generation;
                long before = previous;
                await("generation " + generation + " alone and ready").atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(200)).failFast("start_server exited", () -> !run.isAlive())
                        .until(() -> run.generations().keySet().equals(java.util.Set.of(expected))
                                && run.log().split("start_server-agent: ready: accepting on \\[" + web.key() + "]", -1)
                                        .length > expected && (before < 0 || !ProcFs.exists(before)));
                long worker = run.generations().get(generation);
                run.remember(worker);
                // H2 answers with its own status codes (it refuses Host headers it does not know): it answered.
                assertThat(io.github.hotdeploy.testsupport.Http.getToClose(web, "/").status()).isBetween(200, 499);
                served(generation, worker, run);
                previous = worker;
            }
        } catch (AssertionError | Exception e) {
            e.addSuppressed(new AssertionError("start_server's log (" + work.resolve("start_server.log") + ")"));
            throw e;
        }
    }
}
