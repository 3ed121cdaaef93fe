package io.github.hotdeploy.integration.support;

import io.github.hotdeploy.testsupport.Listen;
import io.github.hotdeploy.testsupport.ManagedProcess;
import io.github.hotdeploy.testsupport.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One start_server (ours, from launcher/target/dist) running an app, with its output in
 * {@code WORK/start_server.log} (the generations write there too: they inherit its stderr) and
 * its status file in {@code WORK/status}: a {@link ManagedProcess}, whose {@link #close()} leaves
 * no process of the run behind (TERM, a bounded wait, then KILL to everything it ever saw).
 */
public final class StartServerRun implements AutoCloseable {

    /** Variables from the test's own environment that would change what start_server or the app does. */
    private static final List<String> SCRUBBED = List.of("SERVER_STARTER_PORT", "SERVER_STARTER_GENERATION",
            "NOTIFY_SOCKET", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "START_SERVER_JAVA_OPTS",
            "ENVDIR", "ENABLE_AUTO_RESTART", "KILL_OLD_DELAY", "AUTO_RESTART_INTERVAL");

    private final ManagedProcess process;
    private final Path status;

    private StartServerRun(ManagedProcess process, Path status) {
        this.process = process;
        this.status = status;
    }

    public static StartServerRun start(Path work, Listen listen, App.Command command) throws IOException {
        return start(work, listen, List.of(), command);
    }

    /** With more of start_server's options (before the {@code --}). */
    public static StartServerRun start(Path work, Listen listen, List<String> options, App.Command command)
            throws IOException {
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
        return new StartServerRun(ManagedProcess.start(builder, work.resolve("start_server.log")), status);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** start_server's and the generations' output so far. */
    public String log() {
        return process.output();
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
        process.remember(pid);
    }

    /** SIGHUP, as an operator's {@code kill -HUP}. */
    public void hup() throws IOException, InterruptedException {
        process.remember(process.pid());
        process.signal("HUP");
    }

    @Override
    public void close() {
        process.close();
    }
}
