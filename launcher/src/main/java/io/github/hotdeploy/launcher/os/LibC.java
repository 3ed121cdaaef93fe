package io.github.hotdeploy.launcher.os;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.byref.IntByReference;

/**
 * The libc calls that jnr-posix does not offer, or offers incompletely: jnr-posix's posix_spawn
 * has no signal mask or default-signal attributes ("not yet supported"), and it has no socket
 * calls. Signatures are glibc's on Linux; pointers to opaque structs are plain memory that the
 * matching {@code *_init} function fills.
 */
public interface LibC {

    int getpid();

    int open(String path, int flags, int mode);

    int close(int fd);

    long write(int fd, @In byte[] buffer, long length);

    int ftruncate(int fd, long length);

    int dup2(int fd, int newFd);

    int pipe(@Out int[] fds);

    int unlink(String path);

    int flock(int fd, int operation);

    /** struct rlimit: soft, then hard (RLIM_INFINITY is all ones, negative here). */
    int getrlimit(int resource, @Out long[] limit);

    /** Variadic in C; called only with an int argument, which the LP64 calling conventions pass alike. */
    int fcntl(int fd, int command, int argument);

    int kill(int pid, int signal);

    /** glibc 2.36 and later, Linux 5.3 and later: a descriptor that pins one process. */
    int pidfd_open(int pid, int flags);

    int pidfd_send_signal(int pidfd, int signal, Pointer info, int flags);

    int waitpid(int pid, @Out int[] status, int options);

    int setpriority(int which, int who, int prio);

    String strerror(int errno);

    int socket(int domain, int type, int protocol);

    int setsockopt(int fd, int level, int name, @In IntByReference value, int length);

    int bind(int fd, @In byte[] address, int length);

    int listen(int fd, int backlog);

    int getsockopt(int fd, int level, int name, @Out byte[] value, IntByReference length);

    /** The raw system call, for pidfd_open(2) and pidfd_getfd(2), which glibc 2.36 wraps but older ones do not. */
    long syscall(long number, long a, long b, long c);

    int connect(int fd, @In byte[] address, int length);

    long recvmsg(int fd, Pointer message, int flags);

    long send(int fd, @In byte[] buffer, long length, int flags);

    int shutdown(int fd, int how);

    long sendto(int fd, @In byte[] buffer, long length, int flags, @In byte[] address, int addressLength);

    /** {@code length}: in, the buffer's size; out, the address's. */
    int getsockname(int fd, @Out byte[] address, IntByReference length);

    int getsockopt(int fd, int level, int name, IntByReference value, IntByReference length);

    /** Returns the previous handler; handler 0 is SIG_DFL, 1 is SIG_IGN. */
    long signal(int signal, long handler);

    int posix_spawnp(IntByReference pid, String file, Pointer fileActions, Pointer attributes,
                     @In Pointer[] argv, @In Pointer[] envp);

    int posix_spawn_file_actions_init(Pointer actions);

    int posix_spawn_file_actions_destroy(Pointer actions);

    int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newFd);

    int posix_spawn_file_actions_addclose(Pointer actions, int fd);

    int posix_spawn_file_actions_addopen(Pointer actions, int fd, String path, int flags, int mode);

    int posix_spawn_file_actions_addchdir_np(Pointer actions, String path);

    /** glibc 2.34 and later. */
    int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);

    int posix_spawnattr_init(Pointer attributes);

    int posix_spawnattr_destroy(Pointer attributes);

    int posix_spawnattr_setflags(Pointer attributes, short flags);

    int posix_spawnattr_setsigmask(Pointer attributes, Pointer sigset);

    int posix_spawnattr_setsigdefault(Pointer attributes, Pointer sigset);

    /** Returns freed malloc memory to the kernel (glibc). */
    int malloc_trim(long pad);

    int sigemptyset(Pointer set);
}
