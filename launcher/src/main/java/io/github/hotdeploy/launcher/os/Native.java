package io.github.hotdeploy.launcher.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/**
 * The one place that loads native code, and the thin libc layer everything else calls.
 *
 * <p>Why jnr-ffi directly rather than jnr-posix (which is built on it): jnr-posix's posix_spawn
 * does not implement the signal attributes start_server needs, and binding its whole libc
 * interface costs about 7 MB of resident memory (measured: docs/benchmarks/launcher.md) in a
 * process whose budget is 48 MB. These are the two dozen calls start_server makes.
 */
public final class Native {
    private static final int RLIMIT_NOFILE = 7;
    private static final int F_SETFD = 2;
    private static final int FD_CLOEXEC = 1;
    private static final int F_DUPFD_CLOEXEC = 1030;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int MSG_NOSIGNAL = 0x4000;

    /** {@link #pidfdOpen} without pidfds in the C library. */
    public static final int NO_PIDFD = -2;

    private static volatile Native instance;

    private final LibC libc;
    private final Runtime runtime;

    private Native() {
        this.libc = LibraryLoader.create(LibC.class).load("c");
        this.runtime = Runtime.getRuntime(libc);
    }

    public static Native get() {
        Native n = instance;
        if (n == null) {
            synchronized (Native.class) {
                n = instance;
                if (n == null) {
                    n = new Native();
                    instance = n;
                }
            }
        }
        return n;
    }

    public LibC libc() {
        return libc;
    }

    /** errno of the last failed call on this thread. */
    public int errno() {
        return LastError.getLastError(runtime);
    }

    /** The error's text, and the limit behind it when one is (see {@link Limits#explain(int)}). */
    public String strerror(int errno) {
        return libc.strerror(errno) + Limits.explain(errno);
    }

    /** The soft RLIMIT_NOFILE now: the highest descriptor number a child can be given, plus one. */
    public long openFilesLimit() {
        long[] limit = new long[2];
        return libc.getrlimit(RLIMIT_NOFILE, limit) == 0 && limit[0] >= 0 ? limit[0] : Long.MAX_VALUE;
    }

    /** A close-on-exec duplicate of {@code fd} numbered 3 or above, or -1. */
    public int duplicate(int fd) {
        return libc.fcntl(fd, F_DUPFD_CLOEXEC, 3);
    }

    /** send(2) that never waits (MSG_DONTWAIT) nor raises SIGPIPE: bytes sent, or -1. */
    public int sendNow(int fd, byte[] bytes) {
        return (int) libc.send(fd, bytes, bytes.length, MSG_DONTWAIT | MSG_NOSIGNAL);
    }

    /** Marks a descriptor close-on-exec. */
    public int setCloseOnExec(int fd) {
        return libc.fcntl(fd, F_SETFD, FD_CLOEXEC);
    }

    /** The current errno, as an exception naming the failed operation. */
    public Errno error(String context) {
        int code = errno();
        return new Errno(context, code, strerror(code));
    }

    public int getpid() {
        return libc.getpid();
    }

    public int open(String path, int flags, int mode) {
        return libc.open(path, flags, mode);
    }

    public int close(int fd) {
        return libc.close(fd);
    }

    public int write(int fd, byte[] bytes, int length) {
        return (int) libc.write(fd, bytes, length);
    }

    public int ftruncate(int fd, long length) {
        return libc.ftruncate(fd, length);
    }

    public int dup2(int fd, int newFd) {
        return libc.dup2(fd, newFd);
    }

    public int pipe(int[] fds) {
        return libc.pipe(fds);
    }

    public int unlink(String path) {
        return libc.unlink(path);
    }

    public int flock(int fd, int operation) {
        return libc.flock(fd, operation);
    }

    public int kill(long pid, int signal) {
        return libc.kill((int) pid, signal);
    }

    /**
     * A pidfd for {@code pid}: it always refers to that process, never to one that gets its pid
     * later. -1 with errno set (ESRCH: it is gone; ENOSYS: Linux before 5.3), or {@link #NO_PIDFD}
     * where the C library lacks the call (glibc before 2.36).
     */
    public int pidfdOpen(long pid) {
        try {
            return libc.pidfd_open((int) pid, 0);
        } catch (UnsatisfiedLinkError missing) {
            return NO_PIDFD;
        }
    }

    /** Signals the process a pidfd refers to; fails with ESRCH if it has exited. */
    public int pidfdSendSignal(int pidfd, int signal) {
        return libc.pidfd_send_signal(pidfd, signal, null, 0);
    }

    /** setpriority(PRIO_PROCESS, pid, nice): a process's CPU priority, 19 the lowest. */
    public int setPriority(long pid, int nice) {
        return libc.setpriority(0, (int) pid, nice);
    }

    public int waitpid(long pid, int[] status, int options) {
        return libc.waitpid((int) pid, status, options);
    }

    // Same numbers on x86_64 and aarch64: both calls came after the syscall tables were unified.
    private static final long SYS_PIDFD_OPEN = 434;
    private static final long SYS_PIDFD_GETFD = 438;

    /**
     * A copy, in this process, of descriptor {@code fd} of process {@code pid} (pidfd_getfd(2),
     * Linux 5.6+, allowed where ptrace would be: start_server's own descendants, or any process
     * for root), close-on-exec.
     *
     * @throws Errno naming the failed call (ENOSYS before Linux 5.6, EPERM where not allowed)
     */
    public int takeDescriptor(long pid, int fd) throws Errno {
        long pidfd = libc.syscall(SYS_PIDFD_OPEN, pid, 0, 0);
        if (pidfd < 0) {
            throw error("pidfd_open");
        }
        try {
            long copy = libc.syscall(SYS_PIDFD_GETFD, pidfd, fd, 0);
            if (copy < 0) {
                throw error("pidfd_getfd");
            }
            return (int) copy;
        } finally {
            libc.close((int) pidfd);
        }
    }

    /** An int socket option, or -1 if it cannot be read. */
    public int intOption(int fd, int level, int name) {
        byte[] value = new byte[4];
        jnr.ffi.byref.IntByReference length = new jnr.ffi.byref.IntByReference(4);
        if (libc.getsockopt(fd, level, name, value, length) != 0) {
            return -1;
        }
        return (value[0] & 0xff) | (value[1] & 0xff) << 8 | (value[2] & 0xff) << 16 | (value[3] & 0xff) << 24;
    }

    /** The port a TCP/UDP socket is bound to, or -1. */
    public int localPort(int fd) {
        byte[] address = new byte[128];
        jnr.ffi.byref.IntByReference length = new jnr.ffi.byref.IntByReference(address.length);
        if (libc.getsockname(fd, address, length) != 0) {
            return -1;
        }
        int family = SocketAddresses.family(address);
        return family == SocketAddresses.AF_INET || family == SocketAddresses.AF_INET6 ? SocketAddresses.port(address) : -1;
    }

    /**
     * How many connections wait in a listening TCP socket's accept queue: for a listener, the
     * kernel's tcp_info carries its accept backlog in tcpi_unacked (offset 24). -1 if unreadable.
     */
    public int acceptQueue(int fd) {
        byte[] info = new byte[104];
        jnr.ffi.byref.IntByReference length = new jnr.ffi.byref.IntByReference(info.length);
        if (libc.getsockopt(fd, SocketAddresses.IPPROTO_TCP, SocketAddresses.TCP_INFO, info, length) != 0
                || length.intValue() < 32) {
            return -1;
        }
        return (info[24] & 0xff) | (info[25] & 0xff) << 8 | (info[26] & 0xff) << 16 | (info[27] & 0xff) << 24;
    }

    /** True if {@code path} exists (without following a symlink); the socket test reads its mode. */
    public static boolean exists(String path) {
        return Files.exists(Path.of(path), LinkOption.NOFOLLOW_LINKS);
    }

    /** True if {@code path} is a unix socket (not following a symlink). */
    public static boolean isSocket(String path) {
        try {
            int mode = (Integer) Files.getAttribute(Path.of(path), "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return (mode & 0170000) == 0140000;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
