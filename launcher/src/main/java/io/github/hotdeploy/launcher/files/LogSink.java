package io.github.hotdeploy.launcher.files;

import io.github.hotdeploy.launcher.os.Errno;
import io.github.hotdeploy.launcher.os.Native;
import io.github.hotdeploy.launcher.spawning.ChildSpawner;
import io.github.hotdeploy.launcher.spawning.SpawnFailure;
import io.github.hotdeploy.launcher.spawning.SpawnRequest;
import io.github.hotdeploy.launcher.supervision.LogControl;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --log-file}: a file opened for append, or {@code "| command"}, a shell command reading
 * from a pipe. Once redirected, start_server's own stdout and stderr, and so every child's, go
 * there. USR1 reopens a file (for logrotate) and restarts a command that has exited (which is
 * reaped as soon as it exits, not at start_server's exit).
 *
 * <p>Children write to the log directly, as with the original: a command that stops reading
 * makes their writes wait once the pipe is full, as any pipe would. start_server's own lines
 * never wait for it ({@code Log.decouple}).
 */
public final class LogSink implements AutoCloseable, LogControl {
    private static final int O_WRONLY = 1;
    private static final int O_CREAT = 0x40;
    private static final int O_APPEND = 0x400;
    private static final int O_CLOEXEC = 0x80000;
    private static final int WNOHANG = 1;

    private final Native nat;
    private final String file; // null for a pipe
    private final String command; // null for a file
    private final ChildSpawner spawner;
    private final Map<String, String> environment;
    private final Runnable outputChanged;
    private int fd;
    private long commandPid = -1;

    private LogSink(Native nat, String file, String command, ChildSpawner spawner, Map<String, String> environment,
                    Runnable outputChanged) {
        this.nat = nat;
        this.file = file;
        this.command = command;
        this.spawner = spawner;
        this.environment = environment;
        this.outputChanged = outputChanged;
    }

    /** True for the original's pipe syntax: optional spaces, '|', optional spaces, command. */
    public static boolean isPipe(String spec) {
        return spec.stripLeading().startsWith("|");
    }

    /**
     * @param outputChanged told when the log has been reopened or its command restarted
     */
    public static LogSink open(Native nat, String spec, ChildSpawner spawner, Map<String, String> env,
                               Runnable outputChanged) throws LogError {
        if (isPipe(spec)) {
            LogSink sink = new LogSink(nat, null, spec.stripLeading().substring(1).stripLeading(), spawner, env,
                    outputChanged);
            sink.startCommand();
            return sink;
        }
        LogSink sink = new LogSink(nat, spec, null, spawner, env, outputChanged);
        sink.fd = openFile(nat, spec);
        if (sink.fd < 0) {
            throw new LogError("failed to open log file:" + spec + ": " + nat.strerror(nat.errno()));
        }
        return sink;
    }

    private void startCommand() throws LogError {
        int[] ends = new int[2];
        if (nat.pipe(ends) != 0) {
            throw new LogError("failed to open pipe:| " + command + ": " + nat.strerror(nat.errno()));
        }
        try {
            commandPid = spawner.spawn(new SpawnRequest(List.of("/bin/sh", "-c", command), environment, null,
                    List.of(new SpawnRequest.FdMapping(ends[0], 0)), false, false));
        } catch (SpawnFailure e) {
            nat.close(ends[1]);
            throw new LogError("failed to open pipe:| " + command + ": " + e.getMessage());
        } finally {
            nat.close(ends[0]);
        }
        fd = ends[1];
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

    /**
     * Reopens the file by name, for log rotation, or restarts the command if it has exited.
     * Returns a one-line outcome for the log.
     */
    @Override
    public synchronized String reopen() {
        if (file == null) {
            Optional<String> exited = reapCommand();
            if (commandPid > 0) {
                return "log command " + commandPid + " is running, nothing to reopen";
            }
            int old = fd;
            try {
                startCommand();
            } catch (LogError e) {
                return e.getMessage();
            }
            redirectStandardStreams();
            nat.close(old);
            outputChanged.run();
            return exited.map(s -> s.substring(0, s.indexOf(';')) + "; ").orElse("")
                    + "restarted log command (pid " + commandPid + ")";
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
        outputChanged.run();
        return "reopened log file " + file;
    }

    /** Collects the command's exit status once it has exited, so it never lingers as a zombie. */
    @Override
    public synchronized Optional<String> reapCommand() {
        if (commandPid <= 0) {
            return Optional.empty();
        }
        int[] status = new int[1];
        int r = nat.waitpid(commandPid, status, WNOHANG);
        if (r == commandPid || (r < 0 && nat.errno() == Errno.ECHILD)) {
            long pid = commandPid;
            commandPid = -1;
            return Optional.of("log command " + pid + " exited, status:" + (r < 0 ? -1 : status[0])
                    + "; its lines wait until USR1 restarts it");
        }
        return Optional.empty();
    }

    /** The shell command's pid while it runs; -1 for a file or once it has exited. */
    public synchronized long pipeCommandPid() {
        return commandPid;
    }

    /**
     * Closes every write end we hold, so that a pipe command sees end-of-file and can finish
     * writing what it has, and waits a little for it.
     */
    @Override
    public synchronized void close() {
        if (fd < 0) {
            return;
        }
        System.out.flush();
        System.err.flush();
        nat.close(fd);
        fd = -1;
        if (file == null) {
            int devNull = nat.open("/dev/null", O_WRONLY, 0);
            nat.dup2(devNull, 1);
            nat.dup2(devNull, 2);
            nat.close(devNull);
        }
        if (commandPid > 0) {
            long deadline = System.nanoTime() + 2_000_000_000L;
            int[] status = new int[1];
            while (System.nanoTime() < deadline) {
                int r = nat.waitpid(commandPid, status, WNOHANG);
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
