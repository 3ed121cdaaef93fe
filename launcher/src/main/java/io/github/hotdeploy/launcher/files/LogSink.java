package io.github.hotdeploy.launcher.files;

import io.github.hotdeploy.launcher.os.Native;
import io.github.hotdeploy.launcher.spawning.ChildSpawner;
import io.github.hotdeploy.launcher.spawning.SpawnFailure;
import io.github.hotdeploy.launcher.spawning.SpawnRequest;
import java.util.List;
import java.util.Map;

/**
 * {@code --log-file}: a file opened for append, or {@code "| command"}, a shell command reading
 * from a pipe. Once redirected, start_server's own stdout and stderr, and so every child's, go
 * there. USR1 reopens a file (for logrotate); a pipe is left as it is.
 */
public final class LogSink implements AutoCloseable {
    private static final int O_WRONLY = 1;
    private static final int O_CREAT = 0x40;
    private static final int O_APPEND = 0x400;
    private static final int O_CLOEXEC = 0x80000;

    private final Native nat;
    private final String file; // null for a pipe
    private int fd;
    private long pipeCommandPid = -1;

    private LogSink(Native nat, String file, int fd) {
        this.nat = nat;
        this.file = file;
        this.fd = fd;
    }

    /** True for the original's pipe syntax: optional spaces, '|', optional spaces, command. */
    public static boolean isPipe(String spec) {
        return spec.stripLeading().startsWith("|");
    }

    public static LogSink open(Native nat, String spec, ChildSpawner spawner, Map<String, String> env)
            throws LogError {
        if (isPipe(spec)) {
            String command = spec.stripLeading().substring(1).stripLeading();
            int[] ends = new int[2];
            if (nat.pipe(ends) != 0) {
                throw new LogError("failed to open pipe:" + spec + ": " + nat.strerror(nat.errno()));
            }
            LogSink sink = new LogSink(nat, null, ends[1]);
            try {
                sink.pipeCommandPid = spawner.spawn(new SpawnRequest(List.of("/bin/sh", "-c", command), env, null,
                        List.of(new SpawnRequest.FdMapping(ends[0], 0)), false, false));
            } catch (SpawnFailure e) {
                nat.close(ends[1]);
                throw new LogError("failed to open pipe:" + spec + ": " + e.getMessage());
            } finally {
                nat.close(ends[0]);
            }
            return sink;
        }
        int fd = openFile(nat, spec);
        if (fd < 0) {
            throw new LogError("failed to open log file:" + spec + ": " + nat.strerror(nat.errno()));
        }
        return new LogSink(nat, spec, fd);
    }

    private static int openFile(Native nat, String path) {
        return nat.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    }

    /** Makes fds 1 and 2 of start_server (and so of every child spawned later) the log. */
    public void redirectStandardStreams() {
        System.out.flush();
        System.err.flush();
        nat.dup2(fd, 1);
        nat.dup2(fd, 2);
    }

    /** Reopens the file by name, for log rotation. Returns a one-line outcome for the log. */
    public String reopen() {
        if (file == null) {
            return "log is a pipe, nothing to reopen";
        }
        int newFd = openFile(nat, file);
        if (newFd < 0) {
            return "failed to reopen log file:" + file + ": " + nat.strerror(nat.errno());
        }
        System.out.flush();
        System.err.flush();
        nat.dup2(newFd, 1);
        nat.dup2(newFd, 2);
        nat.close(fd);
        fd = newFd;
        return "reopened log file " + file;
    }

    /** The shell command's pid for a pipe, so that it can be waited for at exit; -1 for a file. */
    public long pipeCommandPid() {
        return pipeCommandPid;
    }

    /**
     * Closes every write end we hold, so that a pipe command sees end-of-file and can finish
     * writing what it has, and waits a little for it.
     */
    @Override
    public void close() {
        if (fd < 0) {
            return;
        }
        System.out.flush();
        System.err.flush();
        nat.close(fd);
        fd = -1;
        if (pipeCommandPid > 0) {
            int devNull = nat.open("/dev/null", O_WRONLY, 0);
            nat.dup2(devNull, 1);
            nat.dup2(devNull, 2);
            nat.close(devNull);
            long deadline = System.nanoTime() + 2_000_000_000L;
            int[] status = new int[1];
            while (System.nanoTime() < deadline) {
                int r = nat.waitpid(pipeCommandPid, status, 1 /* WNOHANG */);
                if (r != 0) {
                    break;
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
    }

    public static final class LogError extends Exception {
        public LogError(String message) {
            super(message);
        }
    }
}
