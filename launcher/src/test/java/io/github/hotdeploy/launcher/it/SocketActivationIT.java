package io.github.hotdeploy.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotdeploy.testsupport.FreePorts;
import io.github.hotdeploy.testsupport.StartServerRun;
import io.github.hotdeploy.testsupport.Waits;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * [ours] Socket activation with systemd's own tool, {@code systemd-socket-activate}, which binds
 * the sockets, waits for the first connection, then execs start_server with LISTEN_FDS: the
 * children get the passed sockets exactly as if start_server had bound them, and the sockets
 * outlive start_server itself.
 */
class SocketActivationIT {
    static final String ACTIVATE = "/usr/bin/systemd-socket-activate";

    @RegisterExtension
    final Launcher launcher = new Launcher();

    @TempDir
    Path tmp;

    private final int port = FreePorts.tcp();

    @BeforeEach
    void ours() {
        Impl.assumeOurs("the original knows nothing of LISTEN_FDS");
        assertThat(Path.of(ACTIVATE)).as("systemd-socket-activate (Debian's systemd package; .ci/run installs it)")
                .isExecutable();
    }

    /**
     * start_server under systemd-socket-activate listening on these addresses, names given. Like
     * systemd, the tool passes on only PATH, HOME, TERM and what -E names.
     */
    private Launcher.Spec activated(List<String> listen, String names, String... args) {
        List<String> wrapper = new ArrayList<>(List.of(ACTIVATE, "-E", "FIXTURE_REPORT_DIR=" + tmp));
        for (String address : listen) {
            wrapper.add("--listen=" + address);
        }
        if (names != null) {
            wrapper.add("--fdname=" + names);
        }
        return launcher.spec().under(wrapper.toArray(new String[0])).args(args).args("--").args(Fixtures.pythonServer());
    }

    /** Starts it, and returns once systemd-socket-activate listens on everything. */
    private StartServerRun listening(Launcher.Spec spec, int sockets) {
        StartServerRun run = spec.start();
        run.awaitLine("^Listening on .* as " + (2 + sockets) + "\\.$");
        return run;
    }

    @Test
    void thePassedSocketsAreAnnouncedToTheChildrenExactlyAsIfBound() throws Exception {
        Path path = tmp.resolve("app.sock");
        StartServerRun server = listening(activated(List.of("127.0.0.1:" + port, path.toString()), "web:local",
                "--path=" + path, "--port=127.0.0.1:" + port, "--interval=0"), 2);

        // systemd-socket-activate execs start_server on the first connection, which then waits in the backlog.
        Client.Answer first = Client.ask(port);

        assertThat(first.generation()).isEqualTo(1);
        ChildReport child = ChildReport.await(tmp, 1, server);
        // In SERVER_STARTER_PORT's order (ports, then paths) at the fds start_server would have used.
        assertThat(child.env.get("SERVER_STARTER_PORT")).isEqualTo("127.0.0.1:" + port + "=3;" + path + "=4");
        assertThat(child.env).doesNotContainKeys("LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES");
        assertThat(server.output()).contains("using the socket systemd passed for 127.0.0.1:" + port + " (fd 3)",
                "using the socket systemd passed for " + path + " (fd 4)");
        // The very sockets systemd-socket-activate bound: the only listener on the port is what the child holds.
        assertThat(child.fds.get(3)).isEqualTo(Files.readSymbolicLink(Path.of("/proc", Long.toString(server.pid()),
                "fd", "3")).toString());
        assertThat(Client.askUnix(path).generation()).isEqualTo(1);

        server.signal("HUP");
        Client.awaitGeneration(server, port, 2);
        server.signal("TERM");
        assertThat(server.awaitExit()).isZero();
        assertThat(path).as("the socket file is systemd's, not start_server's to remove").exists();
    }

    @Test
    void withoutPortOrPathEveryPassedSocketIsTakenAndKeyedAsBindingWouldHaveKeyedIt() throws Exception {
        StartServerRun server = listening(activated(List.of("127.0.0.1:" + port), null, "--interval=0"), 1);

        Client.ask(port);

        assertThat(ChildReport.await(tmp, 1, server).env.get("SERVER_STARTER_PORT")).isEqualTo("127.0.0.1:" + port + "=3");
    }

    @Test
    void anOptionNotPassedIsBoundAndAPassedSocketNoOptionAsksForIsClosedWithAWarning() throws Exception {
        int other = FreePorts.tcp();
        int unasked = FreePorts.tcp();
        StartServerRun server = listening(activated(List.of("127.0.0.1:" + port, "127.0.0.1:" + unasked), "web:admin",
                "--port=127.0.0.1:" + port, "--port=127.0.0.1:" + other, "--interval=0"), 2);

        Client.ask(port);

        ChildReport child = ChildReport.await(tmp, 1, server);
        assertThat(child.ports()).isEqualTo(Map.of("127.0.0.1:" + port, 3, "127.0.0.1:" + other, 4));
        assertThat(Client.ask(other).generation()).isEqualTo(1);
        assertThat(server.output()).contains("systemd passed no socket for 127.0.0.1:" + other + "; bound it",
                "start_server: warning: systemd passed fd 4 (127.0.0.1:" + unasked + ", named admin), which no --port "
                        + "or --path asks for; closing it");
        assertThat(Client.refused(unasked)).as("nobody holds the socket no option asked for").isTrue();
    }

    /**
     * What {@code systemctl restart} (or an upgrade of start_server) does to a socket-activated
     * service: stop start_server, start a new one, the socket held by systemd in between. Here a
     * shell holds what systemd-socket-activate passed and starts start_server again each time it
     * exits, with LISTEN_PID set to the new process, as systemd does. Connections made while no
     * start_server runs wait in the socket's backlog: none is refused.
     */
    @Test
    void startServerItselfRestartsWhileTheSocketLivesOnAndNoConnectionIsRefused() throws Exception {
        Path pidFile = tmp.resolve("start_server.pid");
        Path stop = tmp.resolve("stop");
        String holder = "while [ ! -e \"$STOP\" ]; do /bin/sh -c 'export LISTEN_PID=$$; exec \"$@\"' start_server \"$@\"; done";
        StartServerRun held = listening(launcher.spec().under(ACTIVATE, "-E", "STOP=" + stop, "--listen=127.0.0.1:" + port,
                "/bin/sh", "-c", holder, "holder")
                .args("--port=127.0.0.1:" + port, "--pid-file=" + pidFile, "--interval=0", "--")
                .args(Fixtures.pythonServer()), 1);
        Client.ask(port);

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<String> otherFailures = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread load = new Thread(() -> {
            while (running.get()) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                    socket.setSoTimeout(30_000);
                    socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
                    String line = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                            StandardCharsets.US_ASCII)).readLine();
                    if (line != null && line.startsWith("pid=")) {
                        answered.incrementAndGet();
                    } else {
                        otherFailures.add("no answer");
                    }
                } catch (ConnectException e) {
                    refused.incrementAndGet();
                } catch (IOException e) {
                    // A fixture that exits on TERM may cut a connection it had accepted: not this test's point.
                    otherFailures.add(e.toString());
                }
            }
        }, "activation-load");
        load.start();
        try {
            for (int round = 0; round < 3; round++) {
                long before = Long.parseLong(Waits.until("a start_server's pid file",
                        () -> FilesIT.read(pidFile).filter(s -> s.endsWith("\n")), held::describe).trim());
                int answeredBefore = answered.get();
                Waits.until("answers from start_server " + before, () -> answered.get() > answeredBefore + 20);
                StartServerRun stopped = launcher.run("--stop", "--pid-file=" + pidFile);
                assertThat(stopped.exitValue()).as(stopped.describe()).isZero();
                Waits.until("the next start_server", () -> FilesIT.read(pidFile).filter(s -> s.endsWith("\n")
                        && Long.parseLong(s.trim()) != before).isPresent());
            }
            int answeredBefore = answered.get();
            Waits.until("answers from the last start_server", () -> answered.get() > answeredBefore + 20);
        } finally {
            running.set(false);
            load.join(60_000);
            Files.createFile(stop);
        }
        assertThat(refused.get()).as("connections refused across three restarts of start_server (%d answered, "
                + "other failures: %s)", answered.get(), otherFailures).isZero();
        assertThat(held.output()).filteredOn(l -> l.startsWith("using the socket systemd passed")).hasSize(4);
    }
}
