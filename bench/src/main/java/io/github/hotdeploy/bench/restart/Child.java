package io.github.hotdeploy.bench.restart;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A process the harness started, with its output (stdout and stderr together) read line by line
 * on a thread, written to a log file with the time each line was read, and passed to a listener.
 * Every Child is remembered until it is reaped, so that the harness can stop whatever it started
 * if it is interrupted.
 */
final class Child implements AutoCloseable {

    private static final Set<Child> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Child::stopAll, "stop-children"));
    }

    private final String name;
    private final Process process;
    private final Thread reader;

    private Child(String name, Process process, Path log, BiConsumer<Long, String> listener) throws IOException {
        this.name = name;
        this.process = process;
        PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND), true);
        this.reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 out) {
                String line;
                while ((line = in.readLine()) != null) {
                    long now = System.currentTimeMillis();
                    out.println(now + " " + line);
                    if (listener != null) {
                        listener.accept(now, line);
                    }
                }
            } catch (IOException e) {
                out.println(System.currentTimeMillis() + " [harness] output read failed: " + e);
            }
        }, name + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    static Child start(String name, List<String> command, Path log, BiConsumer<Long, String> listener) throws IOException {
        return start(name, command, Map.of(), log, listener);
    }

    /** Starts {@code command} with {@code env} added to the harness's environment. */
    static Child start(String name, List<String> command, Map<String, String> env, Path log, BiConsumer<Long, String> listener)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        StringBuilder shown = new StringBuilder();
        env.forEach((k, v) -> shown.append(k).append("='").append(v).append("' "));
        Files.writeString(log, System.currentTimeMillis() + " [harness] " + shown + String.join(" ", command) + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Child child = new Child(name, pb.start(), log, listener);
        LIVE.add(child);
        return child;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    Process process() {
        return process;
    }

    void signal(String signal) throws IOException, InterruptedException {
        signal(signal, process.pid());
    }

    static void signal(String signal, long pid) throws IOException, InterruptedException {
        // The JDK sends only TERM and KILL; kill(1) for the others, HUP above all.
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
        kill.getInputStream().readAllBytes();
        kill.waitFor();
    }

    /** Waits for the exit; true if it exited in time. */
    boolean awaitExit(long timeoutMs) throws InterruptedException {
        return process.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Waits until the output has been read to its end (every process holding the pipe is gone). */
    void awaitOutput(long timeoutMs) throws InterruptedException {
        reader.join(timeoutMs);
    }

    /**
     * TERM, then KILL for it and anything it started if it does not exit within the grace time.
     * start_server stops its generations on TERM; what is left after that is a leak worth a KILL.
     */
    void stop(long graceMs) {
        try {
            List<ProcessHandle> descendants = process.descendants().toList();
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(graceMs, TimeUnit.MILLISECONDS)) {
                    System.err.println("[harness] " + name + " (pid " + pid() + ") ignored TERM for " + graceMs + " ms: KILL");
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            }
            long deadline = System.currentTimeMillis() + Math.min(graceMs, 5000);
            for (ProcessHandle d : descendants) {
                while (d.isAlive() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(20);
                }
                if (d.isAlive()) {
                    System.err.println("[harness] " + name + " left pid " + d.pid() + " running: KILL");
                    d.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            LIVE.remove(this);
        }
    }

    @Override
    public void close() {
        stop(15_000);
    }

    private static void stopAll() {
        for (Child c : List.copyOf(LIVE)) {
            c.stop(10_000);
        }
    }
}
