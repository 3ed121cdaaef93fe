package io.github.hotdeploy.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A process a test started (start_server, a harness around it, or a bare JVM), with its output
 * in a file, or read line by line ({@link #startReadingLines}). {@link #close()} ends it and every
 * descendant it was ever seen with, also when the test failed; {@link #kill()} does it at once.
 */
public final class ManagedProcess implements AutoCloseable {

    /** Generous: a loaded two-core machine starts JVMs slowly. */
    public static final Duration PATIENCE = Duration.ofSeconds(120);

    private static final String GENERATION = "SERVER_STARTER_GENERATION";

    private final Process process;
    private final Path log;
    private final OutputLines lines;
    private final Set<ProcessHandle> seen = ConcurrentHashMap.newKeySet();

    private ManagedProcess(Process process, Path log, OutputLines lines) {
        this.process = process;
        this.log = log;
        this.lines = lines;
    }

    /** Starts {@code command} with {@code environment} added (and JAVA_TOOL_OPTIONS removed), stdin from /dev/null. */
    public static ManagedProcess start(List<String> command, Map<String, String> environment) throws IOException {
        Path log = Files.createTempFile("it-process-", ".log");
        // Read by output() until the test ends, also after close(); a CI run starts ~100 of these.
        log.toFile().deleteOnExit();
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().putAll(environment);
        return new ManagedProcess(builder.start(), log, null);
    }

    /**
     * Starts {@code builder} as it is set up (environment, directory), stdout and stderr together
     * into {@code log}, stdin from /dev/null: for a log the test keeps where it chose.
     */
    public static ManagedProcess start(ProcessBuilder builder, Path log) throws IOException {
        Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        return new ManagedProcess(process, log, null);
    }

    /**
     * Starts {@code builder} as it is set up (environment, directory, stdin), its stdout and
     * stderr read line by line into {@link #lines()}; {@code name} names the reading threads.
     */
    public static ManagedProcess startReadingLines(ProcessBuilder builder, String name) throws IOException {
        Process process = builder.redirectOutput(ProcessBuilder.Redirect.PIPE)
                .redirectError(ProcessBuilder.Redirect.PIPE).start();
        return new ManagedProcess(process, null, new OutputLines(process, name));
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Whether it was started by {@link #startReadingLines}: then {@link #lines()} has its output. */
    public boolean readsLines() {
        return lines != null;
    }

    /** Its output line by line, for a process started by {@link #startReadingLines}. */
    public OutputLines lines() {
        if (lines == null) {
            throw new IllegalStateException("the output of " + pid() + " goes to " + log + ": read output()");
        }
        return lines;
    }

    /** Everything it (and its descendants) printed so far, stdout and stderr together. */
    public String output() {
        if (lines != null) {
            return String.join("\n", lines.texts());
        }
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    public List<String> linesStartingWith(String prefix) {
        return output().lines().filter(l -> l.startsWith(prefix)).collect(Collectors.toList());
    }

    public List<String> linesContaining(String text) {
        return output().lines().filter(l -> l.contains(text)).collect(Collectors.toList());
    }

    /**
     * Live generations: descendants that start_server spawned, recognised by the
     * SERVER_STARTER_GENERATION in their environment where their parent has none. So a launcher
     * run through a wrapper, or a generation that forks a process of its own (which inherits
     * the variable), still counts each generation once.
     */
    public List<Long> children() {
        List<ProcessHandle> descendants = process.toHandle().descendants().collect(Collectors.toList());
        seen.addAll(descendants);
        // Each environment read once: the live descendants that carry the variable, then those
        // of them whose parent (a descendant, or this process) does not.
        Set<Long> carrying = new HashSet<>();
        for (ProcessHandle child : descendants) {
            if (child.isAlive() && hasGeneration(child.pid())) {
                carrying.add(child.pid());
            }
        }
        if (hasGeneration(pid())) {
            carrying.add(pid());
        }
        List<Long> pids = new ArrayList<>();
        for (ProcessHandle child : descendants) {
            if (carrying.contains(child.pid())
                    && !child.parent().map(parent -> carrying.contains(parent.pid())).orElse(false)) {
                pids.add(child.pid());
            }
        }
        return pids;
    }

    /**
     * Puts a process of this run (a worker, the app's JVM) and its descendants under
     * {@link #close()}, also once it is re-parented away from this process.
     */
    public void remember(long pid) {
        ProcessHandle.of(pid).ifPresent(handle -> {
            seen.add(handle);
            handle.descendants().forEach(seen::add);
        });
    }

    private static boolean hasGeneration(long pid) {
        return environment(pid, GENERATION) != null;
    }

    /** A variable of a process's environment as it was when it last exec'd; null if unset or gone. */
    public static String environment(long pid, String name) {
        try {
            return ProcFs.environment(pid).get(name);
        } catch (IOException gone) {
            return null;
        }
    }

    /** The one live generation, once there is exactly one. */
    public long awaitOnlyChild() {
        long[] only = new long[1];
        await("exactly one child of " + pid()).atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> {
            List<Long> children = children();
            if (children.size() == 1) {
                only[0] = children.get(0);
                return true;
            }
            return false;
        });
        return only[0];
    }

    public void awaitOutput(String text) {
        await("'" + text + "' in the output of " + pid()).atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                .until(() -> output().contains(text));
    }

    public void signal(String name) throws IOException, InterruptedException {
        try {
            Processes.signal(pid(), name);
        } catch (IllegalStateException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * Kills it and everything it spawned now, without a TERM first: for a test that asked for
     * the graceful stop it wanted (and checked it) already.
     */
    public void kill() {
        Processes.killTree(process.toHandle());
        for (ProcessHandle handle : seen) {
            handle.destroyForcibly();
        }
    }

    /** TERM, a bounded wait, then KILL for whatever of ours is left. */
    @Override
    public void close() {
        process.toHandle().descendants().forEach(seen::add);
        if (process.isAlive()) {
            try {
                signal("TERM");
                process.waitFor(45, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                // fall through to KILL
            }
        }
        // What it spawned while it stopped (or failed to) is killed too.
        process.toHandle().descendants().forEach(seen::add);
        process.destroyForcibly();
        for (ProcessHandle handle : seen) {
            handle.destroyForcibly();
        }
        for (ProcessHandle handle : seen) {
            handle.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(t -> handle).join();
        }
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
