package io.github.hotdeploy.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.hotdeploy.testsupport.FreePorts;
import io.github.hotdeploy.testsupport.Http;
import io.github.hotdeploy.testsupport.ManagedProcess;
import io.github.hotdeploy.testsupport.Repo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped {@code container/Dockerfile}'s entry point, read from the file, run the way a
 * container runtime runs it: as PID 1 of a new pid namespace ({@code unshare --pid --fork
 * --mount-proc}; Docker itself cannot run here), with the demo app as {@code /app/app.jar}. Its
 * paths point at the built distribution, its port at a free loopback one.
 */
class ContainerIT {
    private static final Path DIST = Repo.root().resolve("launcher/target/dist");

    @TempDir
    Path run;

    /** A JSON array instruction of the Dockerfile (ENTRYPOINT, CMD), continuation lines joined. */
    static List<String> instruction(String dockerfile, String name) {
        String joined = dockerfile.replaceAll("\\\\\\n\\s*", " ");
        Matcher line = Pattern.compile("(?m)^" + name + " \\[(.*)]\\s*$").matcher(joined);
        assertThat(line.find()).as(name + " in the Dockerfile").isTrue();
        List<String> words = new ArrayList<>();
        Matcher word = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(line.group(1));
        while (word.find()) {
            words.add(word.group(1));
        }
        return words;
    }

    private List<String> entryPoint(int port) throws IOException {
        String dockerfile = Files.readString(DIST.resolve("container/Dockerfile"));
        List<String> command = new ArrayList<>(List.of("unshare", "--pid", "--fork", "--mount-proc"));
        for (String word : instruction(dockerfile, "ENTRYPOINT")) {
            command.add(word.replace("/opt/start_server", DIST.toString()).replace("/run/start_server", run.toString())
                    .replace("/var/cache/start_server", run.resolve("cache").toString())
                    .replace("--port=8080", "--port=127.0.0.1:" + port));
        }
        for (String word : instruction(dockerfile, "CMD")) {
            command.add(word.equals("java") ? Repo.java17() : word.replace("/app/app.jar", Repo.demoJar().toString()));
        }
        return command;
    }

    /**
     * Waits until generation {@code n} answers GET / (the demo app says which it is; the pid it
     * says is its own inside the namespace).
     */
    private static void awaitGeneration(int port, int n) {
        await("generation " + n + " answering").atMost(ManagedProcess.PATIENCE).pollInterval(Duration.ofMillis(100))
                .ignoreExceptions().until(() -> Http.get(port, "/").body().contains("\"generation\":\"" + n + "\""));
    }

    /** start_server's pid outside its namespace: unshare's only child. */
    private static long hostPid(ManagedProcess unshare) {
        long[] pid = new long[1];
        await("unshare's child").atMost(ManagedProcess.PATIENCE).until(() -> {
            pid[0] = unshare.process().toHandle().children().findFirst().map(ProcessHandle::pid).orElse(0L);
            return pid[0] > 0;
        });
        return pid[0];
    }

    /** A command in start_server's pid and mount namespaces, as docker exec runs it: its output, exit 0 checked. */
    private static String inside(long pid, int expectedExit, String... command) throws Exception {
        List<String> argv = new ArrayList<>(List.of("nsenter", "--target=" + pid, "--pid", "--mount", "--"));
        argv.addAll(List.of(command));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + out).isEqualTo(expectedExit);
        return out;
    }

    @Test
    void theEntryPointServesRestartsFromInsideAndStopsUnderLoadWithinItsBoundLosingNothing() throws Exception {
        int port = FreePorts.tcp();
        String startServer = DIST.resolve("bin/start_server").toString();
        String pidFile = run.resolve("pid").toString();
        try (ManagedProcess container = ManagedProcess.start(entryPoint(port), Map.of("PORT", Integer.toString(port)))) {
            long pid = hostPid(container);
            awaitGeneration(port, 1);

            inside(pid, 0, "sh", "-c", "kill -HUP 1"); // as the docs say: slim images have no kill program
            awaitGeneration(port, 2);
            inside(pid, 0, startServer, "--restart", "--pid-file=" + pidFile, "--status-file=" + run.resolve("status"));
            assertThat(Http.get(port, "/").body()).as("after --restart returned").contains("\"generation\":\"3\"");
            assertThat(inside(pid, 0, startServer, "--status", "--pid-file=" + pidFile))
                    .startsWith("start_server (pid 1) serving: generation 3 (pid ");

            Load load = new Load(port, 8);
            load.start();
            await("requests served under load").atMost(ManagedProcess.PATIENCE).until(() -> load.ok.get() >= 300);
            // In flight when the stop begins: they must finish.
            List<Http> slow = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Http http = new Http(port);
                http.send("/sleep?ms=2000");
                slow.add(http);
            }
            long stopAt = System.nanoTime();
            load.stopping.set(true); // as behind a Service whose endpoints are gone: no new connection
            assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(pid)).start().waitFor()).isZero();
            assertThat(container.process().waitFor(60, TimeUnit.SECONDS)).as(container.output()).isTrue();
            Duration took = Duration.ofNanos(System.nanoTime() - stopAt);
            load.join();

            System.out.printf("stop under load: %d requests answered, %d failed, start_server exited %d after %d ms%n",
                    load.ok.get(), load.failures.size(), container.process().exitValue(), took.toMillis());
            assertThat(container.process().exitValue()).as("start_server's exit: every generation left on its own\n"
                    + container.output()).isZero();
            assertThat(took).as("the stop, against --force-kill-after=25").isLessThan(Duration.ofSeconds(25));
            for (Http http : slow) {
                assertThat(http.receive().status()).isEqualTo(200);
                http.close();
            }
            assertThat(load.failures).as("requests sent and not answered (%d answered)", load.ok.get()).isEmpty();
            assertThat(load.ok.get()).isGreaterThanOrEqualTo(300);
        }
    }

    @Test
    void kubernetesGracePeriodCoversThePreStopAndTheDockerfilesBound() throws Exception {
        String json = python("import json,sys,yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))",
                DIST.resolve("container/kubernetes.yaml").toString());
        int grace = number(json, "\"terminationGracePeriodSeconds\": (\\d+)");
        int preStop = number(json, "\"preStop\": \\{\"exec\": \\{\"command\": \\[\"sleep\", \"(\\d+)\"\\]");
        String entry = String.join(" ", instruction(Files.readString(DIST.resolve("container/Dockerfile")), "ENTRYPOINT"));
        int forceKill = number(entry, "--force-kill-after=(\\d+)");
        int drain = number(entry, "--drain-timeout=(\\d+)");
        assertThat(grace).isGreaterThan(preStop + forceKill);
        assertThat(forceKill).isGreaterThan(drain);
        assertThat(json).contains("\"mountPath\": \"/run/start_server\"", "\"readinessProbe\"");
        assertThat(entry).contains("--pid-file=/run/start_server/pid");
    }

    private static int number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex + " in " + text).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static String python(String program, String argument) throws Exception {
        // Debian's interpreter, with Debian's python3-yaml (.ci/run installs it), not a version manager's.
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        Process p = new ProcessBuilder(python, "-c", program, argument).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    /**
     * Keep-alive clients that never resend: each keeps one connection, sends GET / and reads the
     * whole response, over and over, until the server ends it with {@code Connection: close}; then
     * it opens another, unless the stop has begun (as behind a Service whose endpoints are gone,
     * existing connections go on, no new one comes). A request sent and not answered in full is a
     * failure.
     */
    private static final class Load {
        final AtomicInteger ok = new AtomicInteger();
        final List<String> failures = new CopyOnWriteArrayList<>();
        final AtomicBoolean stopping = new AtomicBoolean();
        private final List<Thread> threads = new ArrayList<>();

        Load(int port, int connections) {
            for (int i = 0; i < connections; i++) {
                threads.add(new Thread(() -> loop(port), "load-" + i));
            }
        }

        void start() {
            threads.forEach(Thread::start);
        }

        void join() throws InterruptedException {
            for (Thread t : threads) {
                t.join(120_000);
            }
        }

        private void loop(int port) {
            while (!stopping.get()) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                    socket.setSoTimeout(60_000);
                    OutputStream out = socket.getOutputStream();
                    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                            StandardCharsets.ISO_8859_1));
                    boolean open = true;
                    while (open) {
                        out.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        // Once the stop has begun, the connection is used on until the server ends it.
                        open = readResponse(in);
                        ok.incrementAndGet();
                    }
                } catch (IOException e) {
                    if (!stopping.get() || !(e instanceof java.net.ConnectException)) {
                        failures.add(e.toString());
                    }
                    return;
                }
            }
        }

        /** Reads one response; returns whether the connection stays open. */
        private static boolean readResponse(BufferedReader in) throws IOException {
            String status = in.readLine();
            if (status == null || !status.startsWith("HTTP/1.1 200")) {
                throw new IOException("no 200 response: " + status);
            }
            int length = -1;
            boolean close = false;
            for (String header = in.readLine(); header != null && !header.isEmpty(); header = in.readLine()) {
                String lower = header.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(lower.substring(15).trim());
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    close = true;
                }
            }
            if (length < 0) {
                throw new IOException("no Content-Length");
            }
            char[] body = new char[length];
            for (int read = 0; read < length; ) {
                int n = in.read(body, read, length - read);
                if (n < 0) {
                    throw new IOException("response cut short");
                }
                read += n;
            }
            return !close;
        }
    }
}
