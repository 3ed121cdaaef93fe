package io.github.hotdeploy.launcher.client;

import io.github.hotdeploy.launcher.cli.ExitCodes;
import io.github.hotdeploy.launcher.cli.UsageError;
import io.github.hotdeploy.launcher.files.PidFile;
import io.github.hotdeploy.launcher.os.Errno;
import io.github.hotdeploy.launcher.os.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A start_server found through its pid file, proven alive by the lock it holds on it.
 *
 * <p>A signal goes only to the process that holds that lock, as the kernel lists it in
 * /proc/locks, and only while it is that very process (a pidfd pins it between the check and the
 * signal): the pid written in a file can be anyone's, and any process that can open the file can
 * hold its lock.
 */
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
            return LockHolders.of(Files.readString(Path.of("/proc/locks"), StandardCharsets.US_ASCII), inode).contains(pid);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Checks, pins and signals: see {@link #pin}. */
    void signal(Native nat, int signal, String name) throws UsageError {
        try (Pinned server = pin(nat)) {
            server.signal(signal, name);
        }
    }

    /**
     * The process named by the pid file, checked to hold the file's lock and pinned (a pidfd) so
     * that the check still holds when the signal goes.
     */
    Pinned pin(Native nat) throws UsageError {
        int pidfd = nat.pidfdOpen(pid);
        if (pidfd == -1 && nat.errno() == Errno.ESRCH) {
            throw new UsageError("no start_server is running: pid " + pid + " of pid file " + pidFile + " is gone",
                    ExitCodes.FAILURE);
        }
        long startedBefore = pidfd >= 0 ? 0 : startTime(pid);
        try {
            List<Long> holders = lockHolders();
            if (!holders.contains(pid)) {
                throw new UsageError("pid file " + pidFile + " names pid " + pid + ", but "
                        + (holders.isEmpty() ? "no process" : "pid " + join(holders))
                        + " holds its lock: not signalling a process that may not be start_server", ExitCodes.FAILURE);
            }
        } catch (UsageError e) {
            if (pidfd >= 0) {
                nat.close(pidfd);
            }
            throw e;
        }
        return new Pinned(nat, pidfd, startedBefore);
    }

    /** A checked server process, until closed. */
    final class Pinned implements AutoCloseable {
        private final Native nat;
        private final int pidfd;
        private final long startedBefore;

        private Pinned(Native nat, int pidfd, long startedBefore) {
            this.nat = nat;
            this.pidfd = pidfd;
            this.startedBefore = startedBefore;
        }

        void signal(int signal, String name) throws UsageError {
            int rc;
            if (pidfd >= 0) {
                rc = nat.pidfdSendSignal(pidfd, signal);
            } else if (startTime(pid) != startedBefore) {
                throw new UsageError("pid " + pid + " of pid file " + pidFile + " was recycled meanwhile", ExitCodes.FAILURE);
            } else {
                rc = nat.kill(pid, signal); // no pidfd (Linux before 5.3): the start time brackets the check instead
            }
            if (rc != 0) {
                throw new UsageError("failed to send SIG" + name + " to the server process " + pid + ": "
                        + nat.strerror(nat.errno()), ExitCodes.FAILURE);
            }
        }

        @Override
        public void close() {
            if (pidfd >= 0) {
                nat.close(pidfd);
            }
        }
    }

    /** The pids holding the flock on the pid file (the file it names, if it is a link). */
    private List<Long> lockHolders() throws UsageError {
        try {
            long inode = (Long) Files.getAttribute(Path.of(pidFile), "unix:ino");
            return LockHolders.of(Files.readString(Path.of("/proc/locks")), inode);
        } catch (IOException | RuntimeException e) {
            throw new UsageError("cannot tell which process holds the lock on " + pidFile + " (" + e.getMessage()
                    + "): not signalling pid " + pid, ExitCodes.FAILURE);
        }
    }

    /** Field 22 of /proc/PID/stat, the process's start time; -1 once it is gone. */
    private static long startTime(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String join(List<Long> pids) {
        StringBuilder sb = new StringBuilder();
        for (Long p : pids) {
            sb.append(sb.length() == 0 ? "" : ", ").append(p);
        }
        return sb.toString();
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
