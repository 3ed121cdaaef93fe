package io.github.hotdeploy.agent.it.support;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A process the test started (start_server, the notify harness, or a bare JVM), with its output
 * in a file. {@link #close()} ends it and every descendant ever seen, also when the test failed.
 */
public final class ManagedProcess implements AutoCloseable {

    /** Generous: a loaded two-core machine starts JVMs slowly. */
    public static final Duration PATIENCE = Duration.ofSeconds(90);

    private final Process process;
    private final Path log;
    private final Set<ProcessHandle> seen = ConcurrentHashMap.newKeySet();

    private ManagedProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static ManagedProcess start(List<String> command, Map<String, String> environment) throws IOException {
        Path log = Files.createTempFile("agent-it-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().putAll(environment);
        return new ManagedProcess(builder.start(), log);
    }

    public long pid() {
        return process.pid();
    }

    public String output() {
        try {
            return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** Lines of output starting with the given text. */
    public List<String> lines(String prefix) {
        return output().lines().filter(l -> l.startsWith(prefix)).collect(Collectors.toList());
    }

    /**
     * Live generations: descendants that start_server spawned, recognised by the
     * SERVER_STARTER_GENERATION in their environment. A launcher may have helper processes of
     * its own (or be a script around a JVM); those never count.
     */
    public List<Long> children() {
        List<Long> pids = new ArrayList<>();
        process.toHandle().descendants().forEach(child -> {
            seen.add(child);
            if (child.isAlive() && isGeneration(child.pid())) {
                pids.add(child.pid());
            }
        });
        return pids;
    }

    private static boolean isGeneration(long pid) {
        try {
            return ProcSockets.environment(pid, "SERVER_STARTER_GENERATION") != null;
        } catch (IllegalStateException gone) {
            return false;
        }
    }

    /** The one live child, once there is exactly one. */
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
        await("'" + text + "' in the output of " + pid()).atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> output().contains(text));
    }

    public void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + name + " " + pid() + " failed");
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** TERM, a bounded wait, then KILL for whatever of ours is left. */
    @Override
    public void close() {
        process.toHandle().descendants().forEach(seen::add);
        if (process.isAlive()) {
            try {
                signal("TERM");
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                // fall through to KILL
            }
        }
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
