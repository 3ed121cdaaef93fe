package io.github.hotdeploy.launcher.client;

import io.github.hotdeploy.launcher.cli.ExitCodes;
import io.github.hotdeploy.launcher.cli.UsageError;
import io.github.hotdeploy.launcher.files.PidFile;
import io.github.hotdeploy.launcher.os.Native;
import io.github.hotdeploy.launcher.os.Signals;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code --restart}: HUP to the running start_server, then wait until the status file shows a
 * newer generation alone, i.e. the new one is up and every old one is gone. Unlike the original,
 * it gives up with a non-zero exit when start_server dies or the timeout passes, and it accepts
 * a generation later than the next one (failed attempts use numbers too).
 */
public final class RestartClient {
    private static final long POLL_MILLIS = 100;

    private RestartClient() {
    }

    public static int run(Native nat, String pidFile, String statusFile, Duration timeout)
            throws UsageError, InterruptedException {
        RunningServer server = RunningServer.find(nat, pidFile);
        TreeSet<Integer> before = generations(statusFile);
        if (before.isEmpty()) {
            throw new UsageError("no active process found in the status file " + statusFile, ExitCodes.FAILURE);
        }
        int waitFor = before.last() + 1;
        server.signal(nat, Signals.HUP, "HUP");
        long deadline = System.nanoTime() + timeout.toNanos();
        TreeSet<Integer> now = before;
        while (System.nanoTime() < deadline) {
            // Polling a small file ten times a second, only while a restart is being waited for.
            Thread.sleep(POLL_MILLIS);
            now = generations(statusFile);
            if (now.size() == 1 && now.first() >= waitFor) {
                return ExitCodes.OK;
            }
            if (!PidFile.isLocked(nat, pidFile)) {
                throw new UsageError("start_server (pid " + server.pid() + ") exited during the restart",
                        ExitCodes.RESTART_FAILED);
            }
        }
        throw new UsageError("restart did not complete within " + timeout.toSeconds() + " secs: generations "
                + List.copyOf(now) + " are running, waiting for generation " + waitFor + " or later alone",
                ExitCodes.RESTART_FAILED);
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
