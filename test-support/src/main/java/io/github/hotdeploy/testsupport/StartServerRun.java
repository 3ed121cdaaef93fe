package io.github.hotdeploy.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

/**
 * One start_server run by a test: a {@link ManagedProcess} with the start_server arguments it
 * was given, and the start_server lines and files tests wait for. Its output goes to a file
 * ({@link #start}: an app's run, whose generations inherit it) or is read line by line as it
 * comes (the launcher's tests, whose {@code Launcher} builds the process). {@link #close()} leaves
 * no process of the run behind (TERM, a bounded wait, then KILL to everything it ever saw).
 */
public final class StartServerRun implements AutoCloseable {

    /** Variables from the test's own environment that would change what start_server or the app does. */
    private static final List<String> SCRUBBED = List.of("SERVER_STARTER_PORT", "SERVER_STARTER_GENERATION",
            "NOTIFY_SOCKET", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "START_SERVER_JAVA_OPTS",
            "ENVDIR", "ENABLE_AUTO_RESTART", "KILL_OLD_DELAY", "AUTO_RESTART_INTERVAL");

    private final ManagedProcess process;
    private final List<String> args;

    /** A run whose process the caller started; {@code args} are start_server's, without its path. */
    public StartServerRun(ManagedProcess process, List<String> args) {
        this.process = process;
        this.args = List.copyOf(args);
    }

    /**
     * Our start_server (from launcher/target/dist) in {@code work}, listening on {@code listen}, with
     * more of its {@code options}, running {@code appArgv} with {@code appEnv} added. Its output and
     * the generations' go to {@code WORK/start_server.log}, its status file is {@code WORK/status},
     * and the command line is written to {@code WORK/command} for whoever reads a failure.
     */
    public static StartServerRun start(Path work, Listen listen, List<String> options, List<String> appArgv,
            Map<String, String> appEnv) throws IOException {
        List<String> args = new ArrayList<>(List.of(listen.option(), "--status-file=" + work.resolve("status")));
        args.addAll(options);
        args.add("--");
        args.addAll(appArgv);
        List<String> argv = new ArrayList<>();
        argv.add(Repo.startServer().toString());
        argv.addAll(args);
        Files.writeString(work.resolve("command"), String.join(" ", argv) + "\n" + appEnv + "\n");

        ProcessBuilder builder = new ProcessBuilder(argv).directory(work.toFile());
        Map<String, String> env = builder.environment();
        SCRUBBED.forEach(env::remove);
        // start_server itself on the JDK running the tests; the app's JDK is in its own command line.
        env.put("START_SERVER_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        env.putAll(appEnv);
        return new StartServerRun(ManagedProcess.start(builder, work.resolve("start_server.log")), args);
    }

    public long pid() {
        return process.pid();
    }

    public ManagedProcess process() {
        return process;
    }

    public ProcessHandle handle() {
        return process.process().toHandle();
    }

    /** start_server's arguments, without its path. */
    public List<String> command() {
        return args;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** start_server's and the generations' output so far, both streams. */
    public String log() {
        return process.output();
    }

    /** Every line so far, stdout and stderr interleaved as they were read. */
    public List<OutputLines.Line> lines() {
        return process.lines().all();
    }

    public List<String> stderr() {
        return process.lines().stderr();
    }

    public List<String> stdout() {
        return process.lines().stdout();
    }

    /** All output, both streams, as texts. */
    public List<String> output() {
        return process.lines().texts();
    }

    /** For failure messages: the command and everything it printed. */
    public String describe() {
        StringBuilder text = new StringBuilder("start_server ").append(args).append(" (pid ").append(pid())
                .append(isAlive() ? ", running" : ", exited " + exitValue()).append(") printed:\n");
        if (process.readsLines()) {
            lines().forEach(l -> text.append("  ").append(l).append('\n'));
        } else {
            text.append(log());
        }
        return text.toString();
    }

    /** Waits for the n-th (1-based) line of output that matches {@code regex} (find, not match). */
    public Matcher awaitLine(String regex, int nth) {
        return process.lines().awaitLine(regex, nth, this::describe);
    }

    public Matcher awaitLine(String regex) {
        return awaitLine(regex, 1);
    }

    /** start_server has exited and all its output is read: no line can come any more. */
    public boolean outputComplete() {
        return process.lines().complete();
    }

    /** Index in {@link #lines()} of the first line matching {@code regex}, or -1. */
    public int indexOf(String regex) {
        return process.lines().indexOf(regex);
    }

    /** When the first line matching {@code regex} was read (System.nanoTime). */
    public long readAt(String regex) {
        return readAt(regex, 1);
    }

    /** When the n-th (1-based) line matching {@code regex} was read (System.nanoTime). */
    public long readAt(String regex, int nth) {
        return process.lines().readAt(regex, nth, this::describe);
    }

    /** How many lines so far match {@code regex}. */
    public long count(String regex) {
        return process.lines().count(regex);
    }

    /** The pid of the n-th worker announced by "starting new worker PID". */
    public long awaitWorker(int nth) {
        return Long.parseLong(awaitLine("^starting new worker (\\d+)$", nth).group(1));
    }

    /**
     * Waits for the launcher tests' fixture of a generation to say it serves: its signal handlers
     * are installed from then on, so a signal sent after this is logged rather than killing it by
     * default.
     */
    public long awaitServing(int generation) {
        return Long.parseLong(awaitLine("^fixture (\\d+) gen " + generation + " serving$").group(1));
    }

    /**
     * The live generations from the status file its {@code --status-file} names, generation to
     * worker pid; empty before the first write.
     */
    public Map<Integer, Long> generations() throws IOException {
        Path status = statusFile();
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

    private Path statusFile() {
        for (int i = 0; i < args.size() && !args.get(i).equals("--"); i++) {
            if (args.get(i).startsWith("--status-file=")) {
                return Path.of(args.get(i).substring("--status-file=".length()));
            }
            if (args.get(i).equals("--status-file") && i + 1 < args.size()) {
                return Path.of(args.get(i + 1));
            }
        }
        throw new IllegalStateException("start_server " + args + " was given no --status-file");
    }

    /** Records a process of this run (a worker, the app's JVM), so that close() can kill it whatever happens. */
    public void remember(long pid) {
        process.remember(pid);
    }

    public void signal(String name) {
        Processes.signal(pid(), name);
    }

    /** SIGHUP, as an operator's {@code kill -HUP}. */
    public void hup() throws IOException, InterruptedException {
        process.remember(process.pid());
        process.signal("HUP");
    }

    /** Waits for start_server to exit and returns its status; also waits for its output to end. */
    public int awaitExit() {
        return awaitExit(Waits.TIMEOUT);
    }

    public int awaitExit(Duration atMost) {
        try {
            if (!process.process().waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("start_server did not exit within " + atMost.toSeconds() + " s\n" + describe());
            }
            // Output may still be in the pipe; a child holding it keeps it open, hence the bound.
            process.lines().awaitEnd(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return exitValue();
    }

    public int exitValue() {
        return process.process().exitValue();
    }

    @Override
    public void close() {
        process.close();
    }
}
