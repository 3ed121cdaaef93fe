package io.github.hotdeploy.launcher.client;

import io.github.hotdeploy.launcher.cli.ExitCodes;
import io.github.hotdeploy.launcher.cli.UsageError;
import io.github.hotdeploy.launcher.files.PidFile;
import io.github.hotdeploy.launcher.os.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** A start_server found through its pid file, proven alive by the lock it holds on it. */
record RunningServer(String pidFile, long pid) {

    static RunningServer find(Native nat, String pidFile) throws UsageError {
        String content;
        try {
            content = Files.readString(Path.of(pidFile), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new UsageError("failed to open file:" + pidFile + ": No such file or directory", ExitCodes.FAILURE);
        } catch (IOException e) {
            throw new UsageError("failed to open file:" + pidFile + ": " + e.getMessage(), ExitCodes.FAILURE);
        }
        String line = content.lines().findFirst().orElse("").trim();
        long pid;
        try {
            pid = Long.parseLong(line);
        } catch (NumberFormatException e) {
            throw new UsageError("pid file " + pidFile + " does not hold a pid: '" + abbreviate(line) + "'",
                    ExitCodes.FAILURE);
        }
        if (pid <= 1) {
            throw new UsageError("pid file " + pidFile + " does not hold a pid: '" + line + "'", ExitCodes.FAILURE);
        }
        if (!PidFile.isLocked(nat, pidFile)) {
            throw new UsageError("no start_server is running: pid file " + pidFile + " is stale (pid " + pid + ")",
                    ExitCodes.FAILURE);
        }
        return new RunningServer(pidFile, pid);
    }

    void signal(Native nat, int signal, String name) throws UsageError {
        if (nat.kill(pid, signal) != 0) {
            throw new UsageError("failed to send SIG" + name + " to the server process " + pid + ": "
                    + nat.strerror(nat.errno()), ExitCodes.FAILURE);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
