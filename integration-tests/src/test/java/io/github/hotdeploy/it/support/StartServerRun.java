package io.github.hotdeploy.it.support;

import io.github.hotdeploy.testsupport.Listen;
import io.github.hotdeploy.testsupport.Repo;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One start_server (ours, from launcher/target/dist) running an app, with its output in
 * {@code WORK/start_server.log} (the generations write there too: they inherit its stderr) and
 * its status file in {@code WORK/status}.
 *
 * <p>{@link #close()} leaves no process behind: every process seen under start_server during the
 * test is remembered, because once start_server dies its children are re-parented and
 * {@code descendants()} no longer finds them.
 */
public final class StartServerRun implements AutoCloseable {

    /** How long a TERMed start_server may take to stop its generations before everything gets KILL. */
    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(30);

    /** Variables from the test's own environment that would change what start_server or the app does. */
    private static final List<String> SCRUBBED = List.of("SERVER_STARTER_PORT", "SERVER_STARTER_GENERATION",
            "NOTIFY_SOCKET", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "START_SERVER_JAVA_OPTS",
            "ENVDIR", "ENABLE_AUTO_RESTART", "KILL_OLD_DELAY", "AUTO_RESTART_INTERVAL");

    private final Process process;
    private final Path log;
    private final Path status;
    private final Set<ProcessHandle> seen = new LinkedHashSet<>();

    private StartServerRun(Process process, Path log, Path status) {
        this.process = process;
        this.log = log;
        this.status = status;
        seen.add(process.toHandle());
    }

    public static StartServerRun start(Path work, Listen listen, App.Command command) throws IOException {
        return start(work, listen, List.of(), command);
    }

    /** With more of start_server's options (before the {@code --}). */
    public static StartServerRun start(Path work, Listen listen, List<String> options, App.Command command)
            throws IOException {
        Path log = work.resolve("start_server.log");
        Path status = work.resolve("status");
        List<String> argv = new ArrayList<>(List.of(Repo.startServer().toString(), listen.option(),
                "--status-file=" + status));
        argv.addAll(options);
        argv.add("--");
        argv.addAll(command.argv());
        Files.writeString(work.resolve("command"), String.join(" ", argv) + "\n" + command.env() + "\n");

        ProcessBuilder builder = new ProcessBuilder(argv).directory(work.toFile());
        Map<String, String> env = builder.environment();
        SCRUBBED.forEach(env::remove);
        // start_server itself on the JDK running the tests; the app's JDK is in its own command line.
        env.put("START_SERVER_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        env.putAll(command.env());
        builder.redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(new File("/dev/null"));
        return new StartServerRun(builder.start(), log, status);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** start_server's and the generations' output so far. */
    public String log() {
        try {
            return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The live generations from the status file, generation to worker pid; empty before the first write. */
    public Map<Integer, Long> generations() throws IOException {
        Map<Integer, Long> generations = new TreeMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(status);
        } catch (NoSuchFileException e) {
            return generations;
        }
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                generations.put(Integer.parseInt(line.substring(0, colon).trim()), Long.parseLong(line.substring(colon + 1).trim()));
            }
        }
        return generations;
    }

    /** Records a process of this run (a worker, the app's JVM), so that close() can kill it whatever happens. */
    public void remember(long pid) {
        ProcessHandle.of(pid).ifPresent(seen::add);
        ProcessHandle.of(pid).ifPresent(handle -> handle.descendants().forEach(seen::add));
    }

    /** SIGHUP, as an operator's {@code kill -HUP}: the JDK can only send TERM and KILL itself. */
    public void hup() throws IOException, InterruptedException {
        process.toHandle().descendants().forEach(seen::add);
        Process kill = new ProcessBuilder("kill", "-HUP", String.valueOf(process.pid())).redirectErrorStream(true).start();
        String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (kill.waitFor() != 0) {
            throw new IOException("kill -HUP " + process.pid() + " failed: " + output);
        }
    }

    /** TERM to start_server (it stops its generations), then KILL to anything of this run still alive. */
    @Override
    public void close() {
        ProcessHandle launcher = process.toHandle();
        launcher.descendants().forEach(seen::add);
        if (launcher.isAlive()) {
            launcher.destroy();
            awaitExit(launcher, GRACEFUL_STOP);
        }
        launcher.descendants().forEach(seen::add);
        for (ProcessHandle handle : seen) {
            if (handle.isAlive()) {
                handle.destroyForcibly();
            }
        }
        for (ProcessHandle handle : seen) {
            awaitExit(handle, Duration.ofSeconds(10));
        }
    }

    private static void awaitExit(ProcessHandle handle, Duration limit) {
        try {
            handle.onExit().get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // still alive: the caller escalates, or the next test's free port shows it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
