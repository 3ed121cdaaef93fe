package io.github.hotdeploy.launcher.client;

import io.github.hotdeploy.launcher.cli.ExitCodes;
import io.github.hotdeploy.launcher.cli.UsageError;
import io.github.hotdeploy.launcher.os.Native;
import io.github.hotdeploy.launcher.os.Signals;

/** {@code --stop}: TERM to the running start_server, then wait for it to release its pid file. */
public final class StopClient {
    private static final int O_RDONLY = 0;
    private static final int LOCK_EX = 2;

    private static final long GONE_TIMEOUT_NANOS = 10_000_000_000L;

    private StopClient() {
    }

    /**
     * The lock goes as start_server's last act, but its JVM still takes a few milliseconds to
     * exit: wait for the process itself (a zombie counts as gone: it is its parent's to reap).
     */
    private static void awaitGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + GONE_TIMEOUT_NANOS;
        while (System.nanoTime() < deadline) {
            java.util.Optional<ProcessHandle> handle = ProcessHandle.of(pid);
            if (handle.isEmpty() || !handle.get().isAlive() || isZombie(pid)) {
                return;
            }
            Thread.sleep(5);
        }
    }

    private static boolean isZombie(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.io.IOException e) {
            return true;
        }
    }

    public static int run(Native nat, String pidFile) throws UsageError, InterruptedException {
        RunningServer server = RunningServer.find(nat, pidFile);
        // Opened before the signal: the server unlinks the file as it exits, and we wait on this inode.
        int fd = nat.open(pidFile, O_RDONLY, 0);
        try {
            try (RunningServer.Pinned pinned = server.pin(nat)) {
                System.err.println("stop_server (pid:" + nat.getpid() + ") stopping now (pid:" + server.pid() + ")...");
                pinned.signal(Signals.TERM, "TERM");
            }
            if (fd >= 0) {
                nat.flock(fd, LOCK_EX);
            }
            awaitGone(server.pid());
            return ExitCodes.OK;
        } finally {
            if (fd >= 0) {
                nat.close(fd);
            }
        }
    }
}
