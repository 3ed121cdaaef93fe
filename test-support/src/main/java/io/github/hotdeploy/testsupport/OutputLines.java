package io.github.hotdeploy.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process's stdout and stderr read line by line as they come, each line with its stream and
 * the moment it was read: for tests that check which stream a line went to, the order of lines,
 * or how long after one line another came. Started by {@link ManagedProcess#startReadingLines}.
 */
public final class OutputLines {
    /** A line as read, with the stream it came from. */
    public record Line(boolean stderr, String text, long nanos) {
        @Override
        public String toString() {
            return (stderr ? "err| " : "out| ") + text;
        }
    }

    private final Process process;
    private final List<Line> lines = new ArrayList<>();
    private final Thread[] readers = new Thread[2];

    OutputLines(Process process, String name) {
        this.process = process;
        readers[0] = reader(process.getInputStream(), false, name);
        readers[1] = reader(process.getErrorStream(), true, name);
    }

    private Thread reader(InputStream stream, boolean stderr, String name) {
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
        }, name + "-" + (stderr ? "stderr" : "stdout") + "-" + process.pid());
        // Daemon: a child that outlives the process may hold the pipe open for ever.
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Every line so far, stdout and stderr interleaved as they were read. */
    public List<Line> all() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    public List<String> stderr() {
        return all().stream().filter(Line::stderr).map(Line::text).toList();
    }

    public List<String> stdout() {
        return all().stream().filter(l -> !l.stderr()).map(Line::text).toList();
    }

    /** All output, both streams, as texts. */
    public List<String> texts() {
        return all().stream().map(Line::text).toList();
    }

    /** The process has exited and all its output is read: no line can come any more. */
    public boolean complete() {
        return !process.isAlive() && !readers[0].isAlive() && !readers[1].isAlive();
    }

    /** After the process exited: waits, bounded, for what is still in the pipes. */
    public void awaitEnd(Duration perStream) throws InterruptedException {
        for (Thread reader : readers) {
            reader.join(perStream.toMillis());
        }
    }

    /**
     * Waits for the n-th (1-based) line that matches {@code regex} (find, not match); fails with
     * {@code context} on timeout, or at once when the line can no longer come.
     */
    public Matcher awaitLine(String regex, int nth, Supplier<String> context) {
        Pattern pattern = Pattern.compile(regex);
        return Waits.until("line #" + nth + " matching /" + regex + "/", Waits.TIMEOUT, () -> {
            int seen = 0;
            for (Line line : all()) {
                Matcher m = pattern.matcher(line.text());
                if (m.find() && ++seen == nth) {
                    return Optional.of(m);
                }
            }
            return Optional.empty();
        }, this::complete, context);
    }

    /** Index in {@link #all()} of the first line matching {@code regex}, or -1. */
    public int indexOf(String regex) {
        Pattern pattern = Pattern.compile(regex);
        List<Line> all = all();
        for (int i = 0; i < all.size(); i++) {
            if (pattern.matcher(all.get(i).text()).find()) {
                return i;
            }
        }
        return -1;
    }

    /** When the n-th (1-based) line matching {@code regex} was read (System.nanoTime). */
    public long readAt(String regex, int nth, Supplier<String> context) {
        Pattern pattern = Pattern.compile(regex);
        int seen = 0;
        for (Line line : all()) {
            if (pattern.matcher(line.text()).find() && ++seen == nth) {
                return line.nanos();
            }
        }
        throw new AssertionError("no line #" + nth + " matches /" + regex + "/\n" + context.get());
    }

    /** How many lines so far match {@code regex}. */
    public long count(String regex) {
        Pattern pattern = Pattern.compile(regex);
        return all().stream().filter(l -> pattern.matcher(l.text()).find()).count();
    }
}
