package io.github.hotdeploy.launcher.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One start_server process run by a test: its output, captured line by line as it comes, and
 * the waits and signals the tests need. Created and torn down by {@link Launcher}.
 */
final class Launched {
    /** A line as read, with the stream it came from. */
    record Line(boolean stderr, String text, long nanos) {
        @Override
        public String toString() {
            return (stderr ? "err| " : "out| ") + text;
        }
    }

    private final Process process;
    private final List<String> command;
    private final List<Line> lines = new ArrayList<>();
    private final Thread[] readers = new Thread[2];

    Launched(Process process, List<String> command) {
        this.process = process;
        this.command = command;
        readers[0] = reader(process.getInputStream(), false);
        readers[1] = reader(process.getErrorStream(), true);
    }

    private Thread reader(InputStream stream, boolean stderr) {
        Thread thread = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String text;
                while ((text = in.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(new Line(stderr, text, System.nanoTime()));
                    }
                }
            } catch (IOException closed) {
                // the process is gone and the pipe with it
            }
        }, "start_server-" + (stderr ? "stderr" : "stdout") + "-" + process.pid());
        // Daemon: a child that outlives start_server may hold the pipe open for ever.
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    long pid() {
        return process.pid();
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    List<String> command() {
        return command;
    }

    /** Every line so far, stdout and stderr interleaved as they were read. */
    List<Line> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    List<String> stderr() {
        return lines().stream().filter(Line::stderr).map(Line::text).toList();
    }

    List<String> stdout() {
        return lines().stream().filter(l -> !l.stderr()).map(Line::text).toList();
    }

    /** All output, both streams, as texts. */
    List<String> output() {
        return lines().stream().map(Line::text).toList();
    }

    /** For failure messages: the command and everything it printed. */
    String describe() {
        StringBuilder text = new StringBuilder("start_server ").append(command).append(" (pid ").append(pid())
                .append(process.isAlive() ? ", running" : ", exited " + process.exitValue()).append(") printed:\n");
        lines().forEach(l -> text.append("  ").append(l).append('\n'));
        return text.toString();
    }

    /** Waits for the n-th (1-based) line of output that matches {@code regex} (find, not match). */
    Matcher awaitLine(String regex, int nth) {
        Pattern pattern = Pattern.compile(regex);
        return Waits.until("line #" + nth + " matching /" + regex + "/", Waits.TIMEOUT, () -> {
            int seen = 0;
            for (Line line : lines()) {
                Matcher m = pattern.matcher(line.text());
                if (m.find() && ++seen == nth) {
                    return Optional.of(m);
                }
            }
            return Optional.empty();
        }, this::outputComplete, this::describe);
    }

    /** start_server has exited and all its output is read: no line can come any more. */
    boolean outputComplete() {
        return !process.isAlive() && !readers[0].isAlive() && !readers[1].isAlive();
    }

    Matcher awaitLine(String regex) {
        return awaitLine(regex, 1);
    }

    /** Index in {@link #lines()} of the first line matching {@code regex}, or -1. */
    int indexOf(String regex) {
        Pattern pattern = Pattern.compile(regex);
        List<Line> all = lines();
        for (int i = 0; i < all.size(); i++) {
            if (pattern.matcher(all.get(i).text()).find()) {
                return i;
            }
        }
        return -1;
    }

    /** When the first line matching {@code regex} was read (System.nanoTime). */
    long readAt(String regex) {
        return readAt(regex, 1);
    }

    /** When the n-th (1-based) line matching {@code regex} was read (System.nanoTime). */
    long readAt(String regex, int nth) {
        Pattern pattern = Pattern.compile(regex);
        int seen = 0;
        for (Line line : lines()) {
            if (pattern.matcher(line.text()).find() && ++seen == nth) {
                return line.nanos();
            }
        }
        throw new AssertionError("no line #" + nth + " matches /" + regex + "/\n" + describe());
    }

    /** How many lines so far match {@code regex}. */
    long count(String regex) {
        Pattern pattern = Pattern.compile(regex);
        return lines().stream().filter(l -> pattern.matcher(l.text()).find()).count();
    }

    /** The pid of the n-th worker announced by "starting new worker PID". */
    long awaitWorker(int nth) {
        return Long.parseLong(awaitLine("^starting new worker (\\d+)$", nth).group(1));
    }

    /**
     * Waits for the fixture of a generation to say it serves: its signal handlers are installed
     * from then on, so a signal sent after this is logged rather than killing it by default.
     */
    long awaitServing(int generation) {
        return Long.parseLong(awaitLine("^fixture (\\d+) gen " + generation + " serving$").group(1));
    }

    void signal(String name) {
        Processes.signal(pid(), name);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for start_server to exit and returns its status; also waits for its output to end. */
    int awaitExit() {
        return awaitExit(Waits.TIMEOUT);
    }

    int awaitExit(Duration atMost) {
        try {
            if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("start_server did not exit within " + atMost.toSeconds() + " s\n" + describe());
            }
            // Output may still be in the pipe; a child holding it keeps it open, hence the bound.
            for (Thread reader : readers) {
                reader.join(2000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return process.exitValue();
    }

    int exitValue() {
        return process.exitValue();
    }
}
