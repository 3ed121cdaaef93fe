package io.github.hotdeploy.launcher.files;

import io.github.hotdeploy.launcher.os.Errno;
import io.github.hotdeploy.launcher.os.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The pid file: start_server's pid and a newline, held under an exclusive flock(2) for its whole
 * life. {@code --stop} (ours and the original's) waits on that lock to know the server is gone.
 *
 * <p>flock, not FileChannel.lock: the JDK takes POSIX record locks, which flock does not see.
 *
 * <p>Opened as a file start_server creates, never through a symbolic link (O_NOFOLLOW), and only
 * if it is a regular file with one link: anyone who can write to its directory could otherwise
 * have it point at any file start_server can write to (as root, any file). A write that fails
 * (a full disk) removes the file again, so no empty pid file is left behind.
 */
public final class PidFile implements AutoCloseable {
    static final int O_RDWR = 2;
    static final int O_CREAT = 0x40;
    static final int O_EXCL = 0x80;
    static final int O_NOFOLLOW = 0x20000;
    static final int O_CLOEXEC = 0x80000;
    static final int LOCK_EX = 2;
    static final int LOCK_NB = 4;
    private static final int EEXIST = 17;
    private static final int ELOOP = 40;

    private final Native nat;
    private final String path;
    private int fd;

    private PidFile(Native nat, String path, int fd) {
        this.nat = nat;
        this.path = path;
        this.fd = fd;
    }

    /**
     * Locks the file and writes our pid into it. A file left by a start_server that died is simply
     * taken over; one still locked by a live start_server is refused.
     */
    public static PidFile acquire(Native nat, String path) throws PidFileError {
        int fd = open(nat, path);
        String problem = notOurs(fd);
        if (problem != null) {
            nat.close(fd);
            throw new PidFileError("pid file " + path + " " + problem + ": refusing to write to it");
        }
        if (nat.flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int errno = nat.errno();
            nat.close(fd);
            if (errno == Errno.EWOULDBLOCK) {
                throw new PidFileError("pid file " + path + " is locked by a running start_server"
                        + holder(path) + "; stop it first or use another --pid-file");
            }
            throw new PidFileError("flock failed(" + path + "): " + nat.strerror(errno));
        }
        byte[] content = (nat.getpid() + "\n").getBytes(StandardCharsets.US_ASCII);
        if (nat.ftruncate(fd, 0) != 0 || nat.write(fd, content, content.length) != content.length) {
            String reason = nat.strerror(nat.errno());
            // Ours now (we hold the lock): created empty, or a stale one emptied. Gone, not left empty.
            nat.unlink(path);
            nat.close(fd);
            throw new PidFileError("failed to write pid file " + path + ": " + reason);
        }
        return new PidFile(nat, path, fd);
    }

    /** Creates the file, or opens the one there, never through a symbolic link. */
    private static int open(Native nat, String path) throws PidFileError {
        for (int attempt = 0; attempt < 3; attempt++) {
            int fd = nat.open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
            if (fd >= 0 || nat.errno() != EEXIST) {
                return checked(nat, path, fd);
            }
            fd = nat.open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC, 0);
            if (fd >= 0 || nat.errno() != Errno.ENOENT) {
                return checked(nat, path, fd); // else removed in between: create it after all
            }
        }
        throw new PidFileError("failed to open file:" + path + ": it keeps disappearing");
    }

    private static int checked(Native nat, String path, int fd) throws PidFileError {
        if (fd >= 0) {
            return fd;
        }
        int errno = nat.errno();
        if (errno == ELOOP) {
            throw new PidFileError("pid file " + path + " is a symbolic link: refusing to follow it"
                    + " (give the link's target as --pid-file)");
        }
        throw new PidFileError("failed to open file:" + path + ": " + nat.strerror(errno));
    }

    /** Why the open file is not one to write a pid into, or null: a regular file with one link. */
    private static String notOurs(int fd) {
        Path self = Path.of("/proc/self/fd/" + fd); // stat through it: the file open, not the name
        try {
            if (!Files.isRegularFile(self)) {
                return "is not a regular file";
            }
            int links = (Integer) Files.getAttribute(self, "unix:nlink");
            return links == 1 ? null : "has " + links + " hard links";
        } catch (IOException | RuntimeException e) {
            return null; // no /proc: the open itself already refused links
        }
    }

    /** True if a live process holds the lock on the file (it is a running start_server's). */
    public static boolean isLocked(Native nat, String path) {
        int fd = nat.open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC, 0);
        if (fd < 0) {
            return false;
        }
        try {
            return nat.flock(fd, LOCK_EX | LOCK_NB) != 0 && nat.errno() == Errno.EWOULDBLOCK;
        } finally {
            nat.close(fd); // closing releases a lock we may just have taken
        }
    }

    private static String holder(String path) {
        try {
            if (Files.isSymbolicLink(Path.of(path))) {
                return "";
            }
            String pid = Files.readString(Path.of(path), StandardCharsets.US_ASCII).trim();
            return pid.isEmpty() ? "" : " (pid " + pid + ")";
        } catch (IOException e) {
            return "";
        }
    }

    /** Removes the file, then releases the lock (the order the original uses). */
    @Override
    public void close() {
        if (fd >= 0) {
            nat.unlink(path);
            nat.close(fd);
            fd = -1;
        }
    }

    /** Releases the lock and the descriptor without removing the file (for the daemonizing parent). */
    public void release() {
        if (fd >= 0) {
            nat.close(fd);
            fd = -1;
        }
    }

    public static final class PidFileError extends Exception {
        public PidFileError(String message) {
            super(message);
        }
    }
}
