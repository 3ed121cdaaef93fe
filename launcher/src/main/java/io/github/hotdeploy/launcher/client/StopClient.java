package io.github.hotdeploy.launcher.client;

import io.github.hotdeploy.launcher.cli.ExitCodes;
import io.github.hotdeploy.launcher.cli.UsageError;
import io.github.hotdeploy.launcher.os.Native;
import io.github.hotdeploy.launcher.os.Signals;

/** {@code --stop}: TERM to the running start_server, then wait for it to release its pid file. */
public final class StopClient {
    private static final int O_RDONLY = 0;
    private static final int LOCK_EX = 2;

    private StopClient() {
    }

    public static int run(Native nat, String pidFile) throws UsageError {
        RunningServer server = RunningServer.find(nat, pidFile);
        // Opened before the signal: the server unlinks the file as it exits, and we wait on this inode.
        int fd = nat.open(pidFile, O_RDONLY, 0);
        try {
            System.err.println("stop_server (pid:" + nat.getpid() + ") stopping now (pid:" + server.pid() + ")...");
            server.signal(nat, Signals.TERM, "TERM");
            if (fd >= 0) {
                nat.flock(fd, LOCK_EX);
            }
            return ExitCodes.OK;
        } finally {
            if (fd >= 0) {
                nat.close(fd);
            }
        }
    }
}
