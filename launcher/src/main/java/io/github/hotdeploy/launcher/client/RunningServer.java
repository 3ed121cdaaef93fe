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
        // 1 is a pid like any other: start_server is PID 1 as a container's entry point. The lock
        // below proves a live start_server holds the file; 0 and below would signal a whole group.
        if (pid < 1) {
            throw new UsageError("pid file " + pidFile + " does not hold a pid: '" + line + "'", ExitCodes.FAILURE);
        }
        if (!PidFile.isLocked(nat, pidFile)) {
            throw new UsageError("no start_server is running: pid file " + pidFile + " is stale (pid " + pid + ")",
                    ExitCodes.FAILURE);
        }
        if (pid == 1 && !flockHeldBy(1, Path.of(pidFile))) {
            // A container's start_server writes 1; seen from outside its pid namespace, 1 is this
            // machine's init, which must never get the signal meant for start_server.
            throw new UsageError("pid file " + pidFile + " holds 1, but pid 1 here does not hold its lock: it was "
                    + "written by a start_server in another pid namespace (a container); run this client there",
                    ExitCodes.FAILURE);
        }
        return new RunningServer(pidFile, pid);
    }

    /**
     * True if /proc/locks shows process {@code pid}, as this pid namespace numbers it, holding a
     * flock on {@code file}'s inode. A holder in another namespace shows under another number.
     */
    static boolean flockHeldBy(long pid, Path file) {
        try {
            long inode = ((Number) Files.getAttribute(file, "unix:ino")).longValue();
            for (String line : Files.readAllLines(Path.of("/proc/locks"), StandardCharsets.US_ASCII)) {
                // "1: FLOCK  ADVISORY  WRITE 1234 fd:00:5678 0 EOF" (a "->" marks a blocked waiter)
                String[] f = line.trim().split("\\s+");
                if (f.length >= 6 && f[1].equals("FLOCK")
                        && f[4].equals(Long.toString(pid)) && f[5].endsWith(":" + inode)) {
                    return true;
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false;
        }
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
