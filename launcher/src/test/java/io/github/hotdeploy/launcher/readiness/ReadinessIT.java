package io.github.hotdeploy.launcher.readiness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.hotdeploy.launcher.files.StateFile;
import io.github.hotdeploy.launcher.supervision.Snapshot;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readiness gating with real processes: a non-JVM child that speaks sd_notify (Python), under
 * {@code --wait-ready=always}, so that these cases need no agent. Each generation of the fixture
 * behaves as told by FIX_MODE_GEN: ready, slow (READY=1 late), crash (dies before READY=1),
 * hang (never says anything).
 */
class ReadinessIT {
    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final String FIXTURE = String.join("\n",
            "import os, socket, sys, time, signal",
            "gen = int(os.environ['SERVER_STARTER_GENERATION'])",
            "mode = os.environ.get('FIX_MODE_%d' % gen, 'ready')",
            "delay = float(os.environ.get('FIX_DELAY', '2'))",
            "listener = socket.socket(fileno=int(os.environ['SERVER_STARTER_PORT'].split('=')[-1]))",
            "signal.signal(signal.SIGTERM, lambda *a: os._exit(0))",
            "if mode in ('slow', 'crash'): time.sleep(delay)",
            "if mode == 'crash': sys.exit(3)",
            "if mode != 'hang':",
            "    n = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)",
            "    n.connect(os.environ['NOTIFY_SOCKET'])",
            "    n.send(b'READY=1')",
            "while True:",
            "    c, _ = listener.accept()",
            "    c.sendall(b'gen %d\\n' % gen)",
            "    c.close()");

    @TempDir
    Path dir;

    private Process launcher;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private int port;

    @AfterEach
    void stopEverything() {
        if (launcher != null) {
            List<ProcessHandle> all = new ArrayList<>(launcher.descendants().toList());
            launcher.destroy();
            try {
                launcher.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            launcher.destroyForcibly();
            all.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private void start(Map<String, String> env, String... options) throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("start_server.home", "target/dist"), "bin", "start_server").toString());
        command.add("--port=127.0.0.1:" + port);
        command.add("--status-file=" + dir.resolve("status"));
        command.add("--wait-ready=always");
        command.addAll(List.of(options));
        command.addAll(List.of("--", python(), "-c", FIXTURE));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        launcher = pb.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    log.add(line);
                }
            } catch (IOException e) {
                // the process is gone
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * The interpreter itself: a version manager's shim on the PATH (pyenv's is a bash script)
     * can take longer than the 2 s readiness deadline of one of these tests on a loaded machine.
     */
    private static String python() {
        for (String candidate : List.of("/usr/bin/python3", "/usr/local/bin/python3")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return "python3";
    }

    private String status() {
        try {
            return Files.readString(dir.resolve("status"));
        } catch (IOException e) {
            return "";
        }
    }

    private String answer() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(5000);
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "error: " + e;
        }
    }

    private long pidOfGeneration(int generation) {
        return status().lines().filter(l -> l.startsWith(generation + ":"))
                .map(l -> Long.parseLong(l.substring(l.indexOf(':') + 1))).findFirst().orElse(-1L);
    }

    private Optional<String> logLine(String prefix) {
        synchronized (log) {
            return log.stream().filter(l -> l.startsWith(prefix)).findFirst();
        }
    }

    private void awaitLog(String prefix) {
        await(prefix).atMost(WAIT).until(() -> logLine(prefix).isPresent());
    }

    private long firstGenerationServing(Map<String, String> env, String... options) throws IOException {
        start(env, options);
        await("generation 1 started").atMost(WAIT).until(() -> pidOfGeneration(1) > 0);
        assertThat(answer()).isEqualTo("gen 1");
        return pidOfGeneration(1);
    }

    private void hup() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-HUP", Long.toString(launcher.pid())).start().waitFor();
    }

    /**
     * No --interval given: a generation counts as started in the step that takes its READY=1, not
     * 1 s after its spawn. The fixture says READY=1 a few tens of milliseconds after it starts, so
     * the original's floor would leave most of a second between the two.
     */
    @Test
    void aGenerationThatSaysReadyIsPromotedAtItsReadyWithoutTheIntervalFloor() throws Exception {
        Path pidFile = dir.resolve("pid");
        long old = firstGenerationServing(Map.of(), "--pid-file=" + pidFile);
        assertPromotedAtItsReady(pidFile, 1);
        hup();
        awaitLog("new worker is now running, sending TERM to old workers:" + old);
        assertPromotedAtItsReady(pidFile, 2);
    }

    private static void assertPromotedAtItsReady(Path pidFile, int generation) {
        Snapshot.Generation serving = await("generation " + generation + " serving").atMost(WAIT).until(() -> {
            Optional<StateFile.State> state = StateFile.read(StateFile.beside(pidFile.toString()));
            Snapshot.Generation g = state.map(s -> s.snapshot().serving()).orElse(null);
            return g != null && g.number() == generation ? g : null;
        }, g -> g != null);
        assertThat(serving.readiness()).isEqualTo(Snapshot.Readiness.REPORTED);
        assertThat(Duration.ofNanos(serving.sinceNanos() - serving.readyAtNanos()))
                .as("from its READY=1 to counting as started").isLessThan(Duration.ofMillis(250));
    }

    @Test
    void aSlowGenerationStartsOnlyOnceItSaysReady() throws Exception {
        long old = firstGenerationServing(Map.of("FIX_MODE_2", "slow", "FIX_DELAY", "3"), "--interval=0.1");
        hup();
        awaitLog("starting new worker");
        // Well past --interval, the slow one has not said READY=1: nothing changes.
        await().pollDelay(Duration.ofMillis(1500)).atMost(WAIT).until(() -> true);
        assertThat(status()).isEqualTo("1:" + old + "\n");
        assertThat(ProcessHandle.of(old)).isPresent();
        awaitLog("new worker is now running, sending TERM to old workers:" + old);
        await("old generation gone").atMost(WAIT).until(() -> ProcessHandle.of(old).isEmpty()
                || !ProcessHandle.of(old).get().isAlive());
        assertThat(answer()).isEqualTo("gen 2");
    }

    @Test
    void aGenerationThatCrashesWhileBootingAfterTheIntervalLeavesTheOldOneUntouched() throws Exception {
        long old = firstGenerationServing(Map.of("FIX_MODE_2", "crash", "FIX_DELAY", "1.5"), "--interval=0.2");
        hup();
        await("the crash").atMost(WAIT)
                .until(() -> indexOf("seems to have failed to start, exit status:768") >= 0);
        assertThat(ProcessHandle.of(old).map(ProcessHandle::isAlive)).contains(true);
        assertThat(answer()).isEqualTo("gen 1");
        // The retry (generation 3) is ready at once and takes over; only then is the old one signalled.
        awaitLog("new worker is now running, sending TERM to old workers:" + old);
        int crash = indexOf("seems to have failed to start");
        int takeover = indexOf("new worker is now running");
        assertThat(crash).isLessThan(takeover);
        await().atMost(WAIT).until(() -> answer().equals("gen 3"));
    }

    @Test
    void aGenerationThatNeverSaysReadyIsStoppedAfterTheTimeoutAndTheOldOneKeepsServing() throws Exception {
        long old = firstGenerationServing(Map.of("FIX_MODE_2", "hang"), "--interval=0.1", "--wait-ready-timeout=2");
        hup();
        await("generation 2 spawned").atMost(WAIT).until(() -> log.stream().filter(l -> l.startsWith("starting new worker")).count() >= 2);
        String hung = log.stream().filter(l -> l.startsWith("starting new worker")).skip(1)
                .map(l -> l.substring(l.lastIndexOf(' ') + 1)).findFirst().orElseThrow();
        awaitLog("new worker " + hung + " did not report ready within 2 secs, sending TERM");
        // Its TERM handler makes it exit 0; on a loaded machine the TERM may come before the
        // fixture has installed it, and then the signal's default action ends it (15).
        awaitLog("new worker " + hung + " seems to have failed to start, exit status:");
        assertThat(logLine("new worker " + hung + " seems to have failed to start").orElseThrow())
                .matches(".*exit status:(0|15)");
        // The next generations are the ordinary fixture; on a loaded machine one of them may miss
        // the 2 s too and be replaced in its turn. The old one serves until one is ready.
        awaitLog("new worker is now running, sending TERM to old workers:" + old);
        assertThat(indexOf("new worker " + hung + " did not report ready")).isLessThan(indexOf("new worker is now running"));
        await().atMost(WAIT).until(() -> answer().matches("gen ([3-9]|\\d{2,})"));
    }

    @Test
    void aNotificationFromAProcessOutsideTheGenerationIsIgnored() throws Exception {
        long old = firstGenerationServing(Map.of("FIX_MODE_2", "hang"), "--interval=0.1", "--wait-ready-timeout=30");
        hup();
        await("generation 2 spawned").atMost(WAIT).until(() -> log.stream().filter(l -> l.startsWith("starting new worker")).count() == 2);
        long hung = log.stream().filter(l -> l.startsWith("starting new worker")).skip(1)
                .map(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElseThrow();
        String notifySocket = await().atMost(WAIT).until(() -> environ(hung).get("NOTIFY_SOCKET"), v -> v != null);
        Process stranger = new ProcessBuilder("python3", "-c", "import socket,sys; s=socket.socket(socket.AF_UNIX, "
                + "socket.SOCK_DGRAM); s.connect(sys.argv[1]); s.send(b'READY=1')", notifySocket).start();
        assertThat(stranger.waitFor()).isZero();
        await().atMost(WAIT).until(() -> log.stream().anyMatch(l -> l.startsWith("ignoring notification from pid " + stranger.pid())));
        assertThat(status()).isEqualTo("1:" + old + "\n");
    }

    /**
     * A same-user process floods the notify socket, every tenth message with a descriptor
     * attached: a few log lines and one count, not one line per datagram; no descriptor kept.
     */
    @Test
    void aFloodOfNotificationsFromOutsideIsLoggedSparinglyAndLeavesNoDescriptor() throws Exception {
        long old = firstGenerationServing(Map.of("FIX_MODE_2", "hang"), "--interval=0.1", "--wait-ready-timeout=30");
        hup();
        await("generation 2 spawned").atMost(WAIT).until(() -> log.stream().filter(l -> l.startsWith("starting new worker")).count() == 2);
        long hung = log.stream().filter(l -> l.startsWith("starting new worker")).skip(1)
                .map(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElseThrow();
        String notifySocket = await().atMost(WAIT).until(() -> environ(hung).get("NOTIFY_SOCKET"), v -> v != null);
        long descriptorsBefore = descriptors(launcher.pid());

        Process stranger = new ProcessBuilder("python3", "-c", String.join("\n",
                "import array, os, socket, sys",
                "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)",
                "r, w = os.pipe()",
                "for i in range(2000):",
                "    rights = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array('i', [r]))] if i % 10 == 0 else []",
                "    s.sendmsg([b'READY=1'], rights, 0, sys.argv[1])"), notifySocket).redirectErrorStream(true).start();
        String strangerOutput = new String(stranger.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(stranger.waitFor()).as(strangerOutput).isZero();
        // The generation never says READY=1: TERM it, so that its listener stops and says what it left out.
        new ProcessBuilder("kill", "-TERM", Long.toString(hung)).start().waitFor();

        String summary = "ignored 1997 more notifications from processes outside generation " + hung;
        await("the count of the notifications not logged").atMost(WAIT).until(() -> logLine(summary).isPresent());
        assertThat(log.stream().filter(l -> l.startsWith("ignoring notification from pid " + stranger.pid()))).hasSize(3);
        assertThat(descriptors(launcher.pid())).as("descriptors of start_server").isLessThanOrEqualTo(descriptorsBefore);
        assertThat(status()).startsWith("1:" + old + "\n");
    }

    private static long descriptors(long pid) throws IOException {
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.count();
        }
    }

    private int indexOf(String fragment) {
        synchronized (log) {
            for (int i = 0; i < log.size(); i++) {
                if (log.get(i).contains(fragment)) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static Map<String, String> environ(long pid) {
        try {
            Map<String, String> env = new java.util.HashMap<>();
            for (String entry : new String(Files.readAllBytes(Path.of("/proc/" + pid + "/environ")), StandardCharsets.UTF_8).split("\0")) {
                int eq = entry.indexOf('=');
                if (eq > 0) {
                    env.put(entry.substring(0, eq), entry.substring(eq + 1));
                }
            }
            return env;
        } catch (IOException e) {
            return Map.of();
        }
    }
}
