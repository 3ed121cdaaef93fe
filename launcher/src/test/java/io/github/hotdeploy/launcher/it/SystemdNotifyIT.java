package io.github.hotdeploy.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotdeploy.testsupport.FreePorts;
import io.github.hotdeploy.testsupport.StartServerRun;
import io.github.hotdeploy.testsupport.Waits;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * [ours] start_server as a {@code Type=notify} service: a listener on NOTIFY_SOCKET stands in for
 * systemd (notify_listener.py, with the sender's pid from the kernel, as systemd checks it) and
 * the message sequence is asserted across a start, a HUP, a failed restart and a stop.
 */
class SystemdNotifyIT {
    @RegisterExtension
    final Launcher launcher = new Launcher();

    @TempDir
    Path tmp;

    private final int port = FreePorts.tcp();
    private Process listener;
    private final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void listen() throws IOException {
        Impl.assumeOurs("the original does not speak sd_notify");
        listen(socketPath().toString());
    }

    private void listen(String address) throws IOException {
        listener = new ProcessBuilder(Fixtures.python(), Fixtures.resource("notify_listener.py").toString(), address)
                .redirectErrorStream(true).start();
        Process mine = listener;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(mine.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    received.add(line);
                }
            } catch (IOException gone) {
                // the listener was stopped
            }
        }, "notify-listener");
        reader.setDaemon(true);
        reader.start();
        Waits.until("the notify listener", () -> received.contains("listening"));
    }

    @AfterEach
    void stopListening() {
        if (listener != null) {
            listener.destroyForcibly();
        }
    }

    private Path socketPath() {
        return tmp.resolve("notify.sock");
    }

    /** The messages so far, without the "listening" line: "PID MESSAGE" with newlines as |. */
    private List<String> messages() {
        List<String> all = new ArrayList<>(received);
        all.remove("listening");
        return all;
    }

    private Matcher awaitMessage(String regex, StartServerRun run) {
        Pattern pattern = Pattern.compile(regex);
        return Waits.until("a notification matching /" + regex + "/", () -> {
            for (String m : messages()) {
                Matcher matcher = pattern.matcher(m);
                if (matcher.find()) {
                    return Optional.of(matcher);
                }
            }
            return Optional.empty();
        }, () -> run.describe() + "notifications:\n  " + String.join("\n  ", messages()));
    }

    private Launcher.Spec server(String... options) {
        List<String> args = new ArrayList<>(List.of("--port=127.0.0.1:" + port));
        args.addAll(List.of(options));
        args.add("--");
        args.addAll(Fixtures.pythonServer());
        return launcher.spec().args(args).env("NOTIFY_SOCKET", socketPath().toString());
    }

    @Test
    void startHupFailedRestartAndStopAreToldInOrderByStartServerAlone() {
        // Generation 3 fails to start: the second restart fails once, then generation 4 takes over.
        // The interval outlasts the fixture's start and failure on a loaded machine.
        StartServerRun server = server("--interval=2").env("FIXTURE_FAIL_GENERATIONS", "3")
                .env("FIXTURE_REPORT_DIR", tmp.toString()).start();
        long p1 = server.awaitWorker(1);
        awaitMessage("READY=1", server);
        long beforeHup = System.nanoTime() / 1000;
        server.signal("HUP");
        long p2 = server.awaitWorker(2);
        awaitMessage("STATUS=generation 2 \\(pid " + p2 + "\\) serving$", server);
        long afterFirstRestart = System.nanoTime() / 1000;
        server.signal("HUP");
        long p3 = server.awaitWorker(3);
        long p4 = server.awaitWorker(4);
        awaitMessage("STATUS=generation 4 \\(pid " + p4 + "\\) serving$", server);
        server.signal("TERM");
        assertThat(server.awaitExit()).isZero();
        awaitMessage("STATUS=stopped", server);

        List<String> messages = messages();
        long me = server.pid();
        assertThat(messages).as("only start_server's own pid talks to systemd").allMatch(m -> m.startsWith(me + " "));
        List<String> texts = messages.stream().map(m -> m.substring(m.indexOf(' ') + 1)
                .replaceAll("MONOTONIC_USEC=\\d+", "MONOTONIC_USEC=T")).toList();
        assertThat(texts).containsExactly(
                "STATUS=generation 1 (pid " + p1 + ") starting",
                "READY=1|STATUS=generation 1 (pid " + p1 + ") serving",
                "RELOADING=1|MONOTONIC_USEC=T|STATUS=generation 2 starting, 1 serving",
                "READY=1|STATUS=generation 2 (pid " + p2 + ") serving, 1 draining",
                "STATUS=generation 2 (pid " + p2 + ") serving",
                "RELOADING=1|MONOTONIC_USEC=T|STATUS=generation 3 starting, 2 serving",
                "READY=1|STATUS=restart failed: generation 3 (pid " + p3 + ") exited with status 3 before it counted "
                        + "as started; generation 2 (pid " + p2 + ") serving, retrying",
                "STATUS=restart failed: generation 3 (pid " + p3 + ") exited with status 3 before it counted as "
                        + "started; generation 4 starting, 2 serving",
                "STATUS=generation 4 (pid " + p4 + ") serving, 2 draining",
                "STATUS=generation 4 (pid " + p4 + ") serving",
                "STOPPING=1|STATUS=stopping: generation 4 (pid " + p4 + ") draining",
                "STATUS=stopped");
        // MONOTONIC_USEC is CLOCK_MONOTONIC, the clock of System.nanoTime here too: taken at the HUP.
        long reloadAt = Long.parseLong(awaitMessage("RELOADING=1\\|MONOTONIC_USEC=(\\d+)", server).group(1));
        assertThat(reloadAt).isBetween(beforeHup, afterFirstRestart);
        ChildReport child = ChildReport.await(tmp, 1, server);
        // With the agent on, every generation gets start_server's own notify socket (for the agent
        // of any JVM it starts), never systemd's.
        assertThat(child.env.get("NOTIFY_SOCKET")).as("a generation never sees systemd's variables")
                .isNotEqualTo(socketPath().toString());
    }

    @Test
    void aGenerationWhoseReadinessIsAwaitedGetsStartServersOwnSocketNotSystemds() {
        StartServerRun server = server("--wait-ready=always", "--interval=0").env("FIXTURE_NOTIFY_GENERATIONS", "*")
                .env("FIXTURE_REPORT_DIR", tmp.toString()).env("WATCHDOG_USEC", "30000000")
                .env("LISTEN_FDS", "1").env("LISTEN_PID", "1").env("LISTEN_FDNAMES", "x").start();
        awaitMessage("READY=1", server);

        ChildReport child = ChildReport.await(tmp, 1, server);
        assertThat(child.env.get("NOTIFY_SOCKET")).isNotNull().isNotEqualTo(socketPath().toString())
                .matches(".*/notify-1\\.sock");
        assertThat(child.env).doesNotContainKeys("WATCHDOG_USEC", "WATCHDOG_PID", "LISTEN_FDS", "LISTEN_PID",
                "LISTEN_FDNAMES");
        assertThat(messages()).noneMatch(m -> !m.startsWith(server.pid() + " "));
    }

    @Test
    void theWatchdogIsPingedWhileStartServerRunsWhenItIsMeantForIt() {
        StartServerRun server = server("--interval=0").env("WATCHDOG_USEC", "200000").start();
        awaitMessage("READY=1", server);

        Waits.until("five watchdog pings", () -> messages().stream().filter(m -> m.endsWith(" WATCHDOG=1")).count() >= 5);
        assertThat(messages()).allMatch(m -> m.startsWith(server.pid() + " "));
    }

    @Test
    void aWatchdogMeantForAnotherProcessIsNotPinged() {
        StartServerRun server = server("--interval=0").env("WATCHDOG_USEC", "200000").env("WATCHDOG_PID", "1").start();
        awaitMessage("READY=1", server);
        server.signal("HUP");
        server.awaitWorker(2);
        awaitMessage("STATUS=generation 2 \\(pid \\d+\\) serving$", server);

        assertThat(messages()).noneMatch(m -> m.contains("WATCHDOG=1"));
    }

    @Test
    void anAbstractNotifySocketIsReachedToo() throws IOException {
        stopListening();
        received.clear();
        String name = "@start_server-it-" + ProcessHandle.current().pid() + "-" + port;
        listen(name);

        StartServerRun server = launcher.spec().args("--port=127.0.0.1:" + port, "--interval=0", "--")
                .args(Fixtures.pythonServer()).env("NOTIFY_SOCKET", name).start();

        assertThat(awaitMessage("READY=1", server).group()).isNotNull();
        assertThat(messages()).first().asString().startsWith(server.pid() + " ");
    }
}
