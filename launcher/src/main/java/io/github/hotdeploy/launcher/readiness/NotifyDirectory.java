package io.github.hotdeploy.launcher.readiness;

import io.github.hotdeploy.launcher.os.Native;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * start_server's private directory for the generations' notify sockets:
 * {@code TMP/start_server-PID-RANDOM}, mode 0700, held under flock(2) for start_server's life and
 * removed at exit. A start_server killed with SIGKILL cannot remove it: the next one to start
 * removes such leftovers, those of its own user whose lock nobody holds and whose pid is gone
 * (the lock alone could be taken in the instant between a live one's mkdir and its flock).
 */
public final class NotifyDirectory implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("start_server-(\\d+)-\\d+");
    private static final Pattern SOCKET = Pattern.compile("notify-\\d+\\.sock");
    private static final int O_RDONLY = 0;
    private static final int O_DIRECTORY = 0x10000;
    private static final int O_NOFOLLOW = 0x20000;
    private static final int O_CLOEXEC = 0x80000;
    private static final int LOCK_EX = 2;
    private static final int LOCK_NB = 4;

    private final Native nat;
    private final Path path;
    private int lockFd;

    private NotifyDirectory(Native nat, Path path, int lockFd) {
        this.nat = nat;
        this.path = path;
        this.lockFd = lockFd;
    }

    /** Removes leftovers of dead start_servers in {@code tmp}, then creates and locks a directory of ours. */
    public static NotifyDirectory create(Native nat, Path tmp, Consumer<String> log) throws IOException {
        Path dir = Files.createTempDirectory(tmp, "start_server-" + nat.getpid() + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        int fd = lock(nat, dir, false);
        if (fd < 0) {
            Files.deleteIfExists(dir);
            throw new IOException("cannot lock " + dir + ": " + nat.strerror(nat.errno()));
        }
        for (Path stale : sweep(nat, tmp, ownerOf(dir))) {
            log.accept("start_server: removed " + stale + ", left by a start_server that was killed");
        }
        return new NotifyDirectory(nat, dir, fd);
    }

    public Path path() {
        return path;
    }

    /** The directories removed: of user {@code uid}, unlocked, of a pid that is gone. */
    static List<Path> sweep(Native nat, Path tmp, long uid) {
        List<Path> removed = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp, "start_server-*")) {
            for (Path dir : entries) {
                Matcher name = NAME.matcher(dir.getFileName().toString());
                if (!name.matches() || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || ownerOf(dir) != uid
                        || Files.exists(Path.of("/proc", name.group(1)))) {
                    continue;
                }
                int fd = lock(nat, dir, true);
                if (fd < 0) {
                    continue; // held: a live start_server's (in another pid namespace, say)
                }
                try {
                    if (removeTree(dir)) {
                        removed.add(dir);
                    }
                } finally {
                    nat.close(fd);
                }
            }
        } catch (IOException | RuntimeException e) {
            // A tmp that cannot be listed: nothing to sweep.
        }
        return removed;
    }

    private static int lock(Native nat, Path dir, boolean tryOnly) {
        int fd = nat.open(dir.toString(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
        if (fd >= 0 && nat.flock(fd, LOCK_EX | (tryOnly ? LOCK_NB : 0)) != 0) {
            nat.close(fd);
            return -1;
        }
        return fd;
    }

    private static long ownerOf(Path path) {
        try {
            return ((Number) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Removes the notify sockets and the directory; anything else in it makes it stay. */
    private static boolean removeTree(Path dir) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (!SOCKET.matcher(entry.getFileName().toString()).matches()) {
                    return false;
                }
                Files.deleteIfExists(entry);
            }
            Files.deleteIfExists(dir);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Removes the directory (at exit). */
    @Override
    public void close() {
        if (lockFd >= 0) {
            removeTree(path);
            nat.close(lockFd);
            lockFd = -1;
        }
    }
}
