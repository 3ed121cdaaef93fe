package io.github.hotdeploy.launcher.files;

import io.github.hotdeploy.launcher.supervision.Snapshot;
import io.github.hotdeploy.launcher.supervision.Supervisor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The state file: start_server's {@link Snapshot} after every change, for {@code --status} and
 * {@code --restart} to read. It lives beside the pid file ({@code PIDFILE.state}): the pid file's
 * lock says whether start_server runs, this file what it is doing. Written to a temporary file
 * and renamed ({@link Replace}), so a reader never sees half of it; removed at exit. The format
 * is ours and may change with start_server; scripts should read {@code start_server --status --json}.
 *
 * <p>Times are CLOCK_MONOTONIC nanoseconds, the same in every process of the machine, with one
 * wall-clock reading taken at the same moment to show them as dates.
 */
public final class StateFile {
    static final String MAGIC = "start_server-state 1";
    /** Appended to the pid file's path. */
    public static final String SUFFIX = ".state";

    private final Path path;
    private final long pid;
    private boolean written;

    public StateFile(Path path, long pid) {
        this.path = path;
        this.pid = pid;
    }

    /** Where the start_server holding {@code pidFile} keeps its state. */
    public static Path beside(String pidFile) {
        return Path.of(pidFile + SUFFIX);
    }

    /** What a reader gets back. */
    public record State(long pid, long wallMillis, long monotonicNanos, Snapshot snapshot) {

        /** A time of the snapshot as milliseconds since the epoch. */
        public long wallMillisOf(long nanos) {
            return wallMillis - (monotonicNanos - nanos) / 1_000_000;
        }
    }

    public void write(Snapshot s, long wallMillis, long monotonicNanos) throws IOException {
        StringBuilder b = new StringBuilder(MAGIC).append('\n');
        b.append("pid ").append(pid).append('\n');
        b.append("clock ").append(wallMillis).append(' ').append(monotonicNanos).append('\n');
        b.append("phase ").append(s.phase()).append('\n');
        b.append("last-generation ").append(s.lastGeneration()).append('\n');
        b.append("ever-served ").append(s.everServed()).append('\n');
        b.append("restart-queued ").append(s.restartQueued()).append('\n');
        b.append("retry-at ").append(s.retryAtNanos()).append('\n');
        for (Snapshot.Generation g : s.generations()) {
            b.append("generation ").append(g.number()).append(' ').append(g.pid()).append(' ').append(g.role())
                    .append(' ').append(g.sinceNanos()).append(' ').append(g.readiness()).append(' ')
                    .append(g.readyAtNanos()).append(' ').append(g.classCache()).append('\n');
        }
        Snapshot.Restart r = s.restart();
        if (r != null) {
            b.append("restart ").append(r.sequence()).append(' ').append(r.trigger()).append(' ')
                    .append(r.requestedAtNanos()).append(' ').append(r.outcome()).append(' ').append(r.failedAttempts())
                    .append(' ').append(r.generation()).append(' ').append(r.endedAtNanos()).append('\n');
        }
        Snapshot.Failure f = s.lastFailure();
        if (f != null) {
            // The reason is free text, last on its line; a newline in it would end the record early.
            b.append("failure ").append(f.generation()).append(' ').append(f.pid()).append(' ').append(f.kind())
                    .append(' ').append(f.atNanos()).append(' ').append(f.reason().replace('\n', ' ')).append('\n');
        }
        Replace.write(path, b, StandardCharsets.UTF_8);
        written = true;
    }

    public void remove() {
        if (written) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // Nothing useful left to do at exit.
            }
        }
    }

    /** The state, or empty if there is no such file (a start_server that has not written it yet, or not ours). */
    public static Optional<State> read(Path path) throws IOException, Malformed {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return Optional.of(parse(lines, path));
    }

    static State parse(List<String> lines, Path path) throws Malformed {
        if (lines.isEmpty() || !lines.get(0).equals(MAGIC)) {
            throw new Malformed(path + " is not a start_server state file of this version");
        }
        long pid = 0;
        long wall = 0;
        long mono = 0;
        Supervisor.Phase phase = null;
        int lastGeneration = 0;
        boolean everServed = false;
        boolean queued = false;
        long retryAt = 0;
        List<Snapshot.Generation> generations = new ArrayList<>();
        Snapshot.Restart restart = null;
        Snapshot.Failure failure = null;
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            String[] f = line.split(" ", -1);
            try {
                switch (f[0]) {
                    case "pid" -> pid = Long.parseLong(f[1]);
                    case "clock" -> {
                        wall = Long.parseLong(f[1]);
                        mono = Long.parseLong(f[2]);
                    }
                    case "phase" -> phase = Supervisor.Phase.valueOf(f[1]);
                    case "last-generation" -> lastGeneration = Integer.parseInt(f[1]);
                    case "ever-served" -> everServed = Boolean.parseBoolean(f[1]);
                    case "restart-queued" -> queued = Boolean.parseBoolean(f[1]);
                    case "retry-at" -> retryAt = Long.parseLong(f[1]);
                    case "generation" -> generations.add(new Snapshot.Generation(Integer.parseInt(f[1]),
                            Long.parseLong(f[2]), Snapshot.Role.valueOf(f[3]), Long.parseLong(f[4]),
                            Snapshot.Readiness.valueOf(f[5]), Long.parseLong(f[6]),
                            // absent in a file written before it was: that start_server's generations show none
                            f.length > 7 ? Snapshot.ClassCacheUse.valueOf(f[7]) : Snapshot.ClassCacheUse.NONE));
                    case "restart" -> restart = new Snapshot.Restart(Integer.parseInt(f[1]),
                            Snapshot.Trigger.valueOf(f[2]), Long.parseLong(f[3]), Snapshot.Outcome.valueOf(f[4]),
                            Integer.parseInt(f[5]), Integer.parseInt(f[6]), Long.parseLong(f[7]));
                    case "failure" -> failure = new Snapshot.Failure(Integer.parseInt(f[1]), Long.parseLong(f[2]),
                            Snapshot.FailureKind.valueOf(f[3]), line.substring(nthSpace(line, 5) + 1), Long.parseLong(f[4]));
                    default -> throw new IllegalArgumentException("unknown record");
                }
            } catch (RuntimeException e) {
                throw new Malformed(path + " line " + (i + 1) + " is malformed: '" + line + "'");
            }
        }
        if (phase == null || pid == 0) {
            throw new Malformed(path + " is incomplete");
        }
        return new State(pid, wall, mono, new Snapshot(phase, lastGeneration, everServed, generations, restart, failure,
                retryAt, queued));
    }

    private static int nthSpace(String line, int n) {
        int at = -1;
        for (int i = 0; i < n; i++) {
            at = line.indexOf(' ', at + 1);
            if (at < 0) {
                throw new IllegalArgumentException("too few fields");
            }
        }
        return at;
    }

    /** The file exists but cannot be understood. */
    public static final class Malformed extends Exception {
        public Malformed(String message) {
            super(message);
        }
    }
}
