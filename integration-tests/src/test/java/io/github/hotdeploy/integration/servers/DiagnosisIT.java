package io.github.hotdeploy.integration.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.hotdeploy.integration.support.App;
import io.github.hotdeploy.integration.support.Apps;
import io.github.hotdeploy.testsupport.Jdk;
import io.github.hotdeploy.testsupport.Listen;
import io.github.hotdeploy.testsupport.Repo;
import io.github.hotdeploy.testsupport.StartServerRun;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A generation that does not take start_server's socket is named in one warning with the likely
 * cause and what to do, instead of counting silently as serving (or failing for ever with only
 * the program's own stack traces): a program that binds a socket of its own, a JVM configured
 * for another port, a JVM whose other port a stranger holds.
 */
class DiagnosisIT {

    private static final Duration WITHIN = Duration.ofSeconds(90);

    private final List<AutoCloseable> open = new ArrayList<>();
    private StartServerRun run;

    @AfterEach
    void stopEverything() throws Exception {
        if (run != null) {
            run.close();
        }
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private void awaitLine(Pattern line) {
        await("a log line matching " + line).atMost(WITHIN).pollInterval(Duration.ofMillis(250))
                .until(() -> line.matcher(run.log()).find());
    }

    private static App command(List<String> argv) {
        return new App() {
            @Override
            public String name() {
                return String.join(" ", argv);
            }

            @Override
            public Command command(Jdk jdk, Listen listen, Path work) {
                return new Command(argv, Map.of());
            }
        };
    }

    @Test
    void connectionsWaitingForAProgramThatBindsItsOwnSocket() throws Exception {
        Listen listen = Listen.freeTcpPort();
        int own = Listen.freeTcpPort().port();
        Path work = Repo.workDir("DiagnosisIT-own-socket");
        App.Command server = command(List.of("python3", "-m", "http.server", "--bind", "127.0.0.1",
                String.valueOf(own))).command(Jdk.JDK_17, listen, work);
        run = StartServerRun.start(work, listen, List.of(), server.argv(), server.env());
        await().atMost(WITHIN).until(() -> run.log().contains("starting new worker"));
        for (int i = 0; i < 6; i++) {
            Socket client = new Socket();
            open.add(client);
            client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listen.port()), 5000);
        }
        awaitLine(Pattern.compile("start_server: warning: nobody accepts on 127\\.0\\.0\\.1:" + listen.port()
                + ": 6 connection\\(s\\) waiting, none taken in 4 secs, generation 1 \\(worker \\d+\\) counts as started"
                + " since \\d+ secs: the program does not use SERVER_STARTER_PORT, and no JVM of it runs the agent\\."));
        assertThat(run.log().split("nobody accepts", -1)).as("one warning").hasSize(2);
    }

    @Test
    void aJvmConfiguredForAnotherPortIsNamedWithThePortItBound() throws Exception {
        Jdk.JDK_17.requireInstalled();
        Listen listen = Listen.freeTcpPort();
        int other = Listen.freeTcpPort().port();
        Path work = Repo.workDir("DiagnosisIT-other-port");
        App app = Apps.of("httpserver");
        App.Command command = app.command(Jdk.JDK_17, new Listen(other, null), work);
        // Counted as started after --interval (the original's rule), then found taking nothing.
        run = StartServerRun.start(work, listen, List.of("--wait-ready=never"), command.argv(), command.env());
        awaitLine(Pattern.compile("start_server: warning: nothing takes 127\\.0\\.0\\.1:" + listen.port()
                + " generation 1 \\(worker (\\d+)\\) counts as started since \\d+ secs: its JVM \\1 runs the agent but"
                + " never bound 127\\.0\\.0\\.1:" + listen.port() + "; it bound 127\\.0\\.0\\.1:" + other + " instead\\."
                + " Configure the application to listen on port " + listen.port()));
    }

    @Test
    void aJvmThatDiesBindingAPortAStrangerHoldsNamesTheStranger() throws Exception {
        Jdk.JDK_17.requireInstalled();
        Listen listen = Listen.freeTcpPort();
        ServerSocket stranger = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        open.add(stranger);
        Path work = Repo.workDir("DiagnosisIT-stranger");
        App.Command h2 = Apps.of("h2", stranger.getLocalPort()).command(Jdk.JDK_17, listen, work);
        run = StartServerRun.start(work, listen, List.of(), h2.argv(), h2.env());
        awaitLine(Pattern.compile("start_server: warning: worker (\\d+) died after its JVM \\1 bound 127\\.0\\.0\\.1:"
                + stranger.getLocalPort() + ": \"Address already in use\", pid " + ProcessHandle.current().pid()
                + " \\(.*java.*\\) listens there, a process this start_server did not start: stop it, or change the"
                + " application's port"));
    }

    @Test
    void aServerJvmThatJettysStartJarForksIsNamedWithTheWayOut() throws Exception {
        Jdk.JDK_17.requireInstalled();
        Listen listen = Listen.freeTcpPort();
        Path work = Repo.workDir("DiagnosisIT-jetty-exec");
        // The JVM start_server starts (agent on its command line) forks the server's JVM, which
        // inherits neither the socket nor the agent and dies on "Address already in use".
        App.Command jetty = Apps.of("jetty-dist-exec").command(Jdk.JDK_17, listen, work);
        run = StartServerRun.start(work, listen, List.of(), jetty.argv(), jetty.env());
        awaitLine(Pattern.compile("start_server: warning: worker (\\d+) died: JVM (\\d+) \\(/\\S+/bin/java\\) was started"
                + " by JVM \\1 before that took 127\\.0\\.0\\.1:" + listen.port() + ", and did not inherit the sockets"
                + " \\(a process a JVM starts gets no fd above 2\\): .* Run the server's JVM directly: Jetty's start\\.jar"
                + " without --exec"));
        assertThat(run.log()).as("Jetty's own failure, which the line explains").contains("Address already in use");
    }
}
