package io.github.hotdeploy.launcher.client;

import io.github.hotdeploy.launcher.cli.ExitCodes;
import io.github.hotdeploy.launcher.cli.UsageError;
import io.github.hotdeploy.launcher.files.PidFile;
import io.github.hotdeploy.launcher.files.StateFile;
import io.github.hotdeploy.launcher.os.Native;
import io.github.hotdeploy.launcher.os.Signals;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@code --restart}: HUP to the running start_server, then wait until a newer generation serves
 * alone, i.e. the new one is up and every old one is gone. Unlike the original, it gives up with
 * a non-zero exit, and the reason, as soon as start_server's state file shows that a new
 * generation failed (died before it counted as started, missed its readiness deadline, could not
 * be started); also when start_server exits or the timeout passes. Against a start_server that
 * keeps no state file (the original), it watches the status file as the original's client does.
 */
public final class RestartClient {
    private static final long POLL_MILLIS = 50;

    private RestartClient() {
    }

    public static int run(Native nat, String pidFile, String statusFile, Duration timeout)
            throws UsageError, InterruptedException {
        RunningServer server = RunningServer.find(nat, pidFile);
        TreeSet<Integer> before = generations(statusFile);
        if (before.isEmpty()) {
            throw new UsageError("no active process found in the status file " + statusFile, ExitCodes.FAILURE);
        }
        Path statePath = StateFile.beside(pidFile);
        Optional<StateFile.State> initial = state(statePath, server.pid());
        int baseline = initial.map(s -> s.snapshot().lastGeneration()).orElse(before.last());
        server.signal(nat, Signals.HUP, "HUP");
        long deadline = System.nanoTime() + timeout.toNanos();
        String where = "generations " + List.copyOf(before) + " are running";
        while (System.nanoTime() < deadline) {
            // Polling small files twenty times a second, only while a restart is being waited for.
            Thread.sleep(POLL_MILLIS);
            Optional<StateFile.State> state = initial.isPresent() ? state(statePath, server.pid()) : Optional.empty();
            if (state.isPresent()) {
                RestartProgress.Verdict verdict = RestartProgress.judge(baseline, state.get().snapshot());
                switch (verdict.kind()) {
                    case SUCCEEDED -> {
                        if (!verdict.message().isEmpty()) {
                            System.err.println("start_server: warning: " + verdict.message());
                        }
                        return ExitCodes.OK;
                    }
                    case FAILED -> throw new UsageError(verdict.message(), ExitCodes.RESTART_FAILED);
                    case WAITING -> where = verdict.message();
                }
            } else {
                TreeSet<Integer> now = generations(statusFile);
                if (now.size() == 1 && now.first() > baseline) {
                    return ExitCodes.OK;
                }
                where = "generations " + List.copyOf(now) + " are running, waiting for generation " + (baseline + 1)
                        + " or later alone";
            }
            if (!PidFile.isLocked(nat, pidFile)) {
                throw new UsageError("restart failed: start_server (pid " + server.pid() + ") exited during the restart",
                        ExitCodes.RESTART_FAILED);
            }
        }
        throw new UsageError("restart did not complete within " + timeout.toSeconds() + " secs: " + where,
                ExitCodes.RESTART_FAILED);
    }

    /** start_server's state, if it keeps one (and it is this start_server's, not a stale one's). */
    private static Optional<StateFile.State> state(Path path, long pid) throws UsageError {
        try {
            return StateFile.read(path).filter(s -> s.pid() == pid);
        } catch (IOException | StateFile.Malformed e) {
            throw new UsageError("cannot read start_server's state: " + e.getMessage(), ExitCodes.FAILURE);
        }
    }

    private static TreeSet<Integer> generations(String statusFile) throws UsageError {
        TreeSet<Integer> result = new TreeSet<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of(statusFile), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UsageError("failed to open file:" + statusFile + ": "
                    + (e instanceof java.nio.file.NoSuchFileException ? "No such file or directory" : e.getMessage()),
                    ExitCodes.FAILURE);
        }
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                try {
                    result.add(Integer.parseInt(line.substring(0, colon)));
                } catch (NumberFormatException e) {
                    // not a generation line
                }
            }
        }
        return result;
    }
}
