package io.github.hotdeploy.bench.load;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A closed-loop HTTP/1.1 load generator for loopback servers that reports every failure, by kind,
 * and checks response bodies byte for byte (Workload). See LoadOptions#USAGE for the command line
 * and Worker for the one resend it makes only when asked to (and counts as a failure anyway).
 */
public final class LoadGenerator {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED_REQUESTS = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_OUTPUT = 3;

    private LoadGenerator() {
    }

    /**
     * How long a SIGINT or SIGTERM waits for requests in flight and the results to be written.
     * Normally a second; generous because on an overloaded machine (load average 30 on two cores,
     * the run niced) writing the files of a long run took more than 15 s, and the JVM then halted
     * half-way through requests.csv.
     */
    private static final long SIGNAL_GRACE_MS = 120_000;

    public static void main(String[] args) throws InterruptedException {
        // A run cut short by Ctrl-C or a TERM from a script still reports what it saw: the signal
        // starts the shutdown hooks, this one asks the run to stop and waits for the summary. The
        // JVM then exits with the signal's status (130, 143), so the caller still sees the signal.
        AtomicBoolean stopRequested = new AtomicBoolean();
        CountDownLatch reported = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopRequested.set(true);
            try {
                reported.await(SIGNAL_GRACE_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bench-stop"));
        int status = run(args, System.out, System.err, stopRequested);
        reported.countDown();
        // During a signal-driven shutdown this blocks until the hooks end; the signal's status wins.
        System.exit(status);
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        return run(args, out, err, new AtomicBoolean());
    }

    static int run(String[] args, PrintStream out, PrintStream err, AtomicBoolean stopRequested)
            throws InterruptedException {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            out.print(LoadOptions.USAGE);
            return EXIT_OK;
        }
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("bench: " + e.getMessage());
            err.print(LoadOptions.USAGE);
            return EXIT_USAGE;
        }
        if (options.outDir() != null) {
            try {
                Files.createDirectories(options.outDir());
            } catch (IOException e) {
                err.println("bench: cannot create --out directory " + options.outDir() + ": " + e);
                return EXIT_OUTPUT;
            }
        }
        RunResult result = LoadRun.execute(options, options.progress() ? err : null, stopRequested);
        List<Mark> marks = readMarks(options.marksFile(), err);
        Summary summary = Summary.of(result, marks);
        out.print(SummaryText.render(summary));
        out.flush();
        if (options.outDir() != null) {
            try {
                writeFiles(options.outDir(), summary);
            } catch (IOException e) {
                err.println("bench: cannot write results to " + options.outDir() + ": " + e);
                return EXIT_OUTPUT;
            }
        }
        return summary.failedOrResent() == 0 ? EXIT_OK : EXIT_FAILED_REQUESTS;
    }

    /** Marks only annotate the results: a bad marks file is reported but does not spoil the run. */
    private static List<Mark> readMarks(Path file, PrintStream err) {
        if (file == null) {
            return List.of();
        }
        try {
            return Marks.read(file);
        } catch (IOException | IllegalArgumentException e) {
            err.println("bench: ignoring marks file " + file + ": " + e.getMessage());
            return List.of();
        }
    }

    private static void writeFiles(Path dir, Summary summary) throws IOException {
        RunResult run = summary.run();
        Files.writeString(dir.resolve("summary.json"), SummaryJson.render(summary), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("summary.txt"), SummaryText.render(summary), StandardCharsets.UTF_8);
        CsvFiles.writeTimeline(dir.resolve("timeline.csv"),
                Timeline.of(run.log(), run.clock(), run.elapsedNanos(), summary.marks()));
        CsvFiles.writeRequests(dir.resolve("failures.csv"), run.log(), run.kinds(), run.clock(), true);
        if (run.options().raw()) {
            CsvFiles.writeRequests(dir.resolve("requests.csv"), run.log(), run.kinds(), run.clock(), false);
        }
    }
}
