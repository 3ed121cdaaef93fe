package io.github.hotdeploy.launcher.spawning;

import io.github.hotdeploy.launcher.os.Errno;
import io.github.hotdeploy.launcher.os.LibC;
import io.github.hotdeploy.launcher.os.Limits;
import io.github.hotdeploy.launcher.os.Native;
import io.github.hotdeploy.launcher.os.Signals;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.byref.IntByReference;

/**
 * Starts children with posix_spawn, so that they get exactly fds 0-2 and the announced sockets,
 * SIGPIPE ignored, every other signal at its default and none blocked.
 *
 * <p>Why not ProcessBuilder: it closes every fd above 2 (so no sockets can be passed) and resets
 * SIGCHLD. Why not jnr-posix's posix_spawnp: it does not implement the signal attributes.
 */
public final class ChildSpawner {
    // glibc's posix_spawnattr flags
    private static final short SETSIGDEF = 0x04;
    private static final short SETSIGMASK = 0x08;
    private static final short SETSID = 0x80;
    private static final int O_RDONLY = 0;
    // Generous upper bounds of glibc's opaque struct sizes (80, 336 and 128 bytes on x86_64).
    private static final int ACTIONS_SIZE = 512;
    private static final int ATTR_SIZE = 1024;
    private static final int SIGSET_SIZE = 256;

    private final Native nat;
    private final LibC libc;
    private final Runtime runtime;
    private final boolean closeFromAvailable;

    public ChildSpawner(Native nat) {
        this.nat = nat;
        this.libc = nat.libc();
        this.runtime = Runtime.getRuntime(libc);
        this.closeFromAvailable = closeFromAvailable(libc, runtime);
    }

    /** Returns the child's pid. */
    public long spawn(SpawnRequest request) throws SpawnFailure {
        Pointer actions = Memory.allocateDirect(runtime, ACTIONS_SIZE);
        Pointer attributes = Memory.allocateDirect(runtime, ATTR_SIZE);
        Pointer mask = Memory.allocateDirect(runtime, SIGSET_SIZE);
        Pointer defaults = Memory.allocateDirect(runtime, SIGSET_SIZE);
        libc.posix_spawn_file_actions_init(actions);
        libc.posix_spawnattr_init(attributes);
        try {
            placeDescriptors(actions, request);
            if (request.directory() != null) {
                check(libc.posix_spawn_file_actions_addchdir_np(actions, request.directory()), "chdir action");
            }
            libc.sigemptyset(mask);
            check(libc.posix_spawnattr_setsigmask(attributes, mask), "signal mask");
            // Every signal back to its default but SIGPIPE: the original runs its children with
            // SIGPIPE ignored (start_server ignores it too, and exec keeps an ignored signal
            // ignored). The bits are written directly because sigfillset leaves out glibc's two
            // internal signals, which posix_spawn would then hand to the child ignored.
            libc.sigemptyset(defaults);
            defaults.putLong(0, ~(1L << (Signals.PIPE - 1)));
            check(libc.posix_spawnattr_setsigdefault(attributes, defaults), "default signals");
            short flags = (short) (SETSIGDEF | SETSIGMASK | (request.newSession() ? SETSID : 0));
            check(libc.posix_spawnattr_setflags(attributes, flags), "spawn flags");

            List<Pointer> keepAlive = new ArrayList<>();
            Pointer[] argv = strings(request.argv(), EnvBytes.PLATFORM, keepAlive);
            List<String> env = new ArrayList<>();
            for (Map.Entry<String, String> e : request.environment().entrySet()) {
                env.add(e.getKey() + "=" + e.getValue());
            }
            Pointer[] envp = strings(env, StandardCharsets.ISO_8859_1, keepAlive); // byte strings: see EnvBytes
            IntByReference pid = new IntByReference();
            String program = request.argv().get(0);
            int rc = libc.posix_spawnp(pid, program, actions, attributes, argv, envp);
            if (rc != 0) {
                throw new SpawnFailure("failed to exec " + program + ": " + nat.strerror(rc)
                        + (rc == Errno.EAGAIN ? Limits.explainProcesses() : ""), rc);
            }
            return pid.getValue();
        } finally {
            libc.posix_spawnattr_destroy(attributes);
            libc.posix_spawn_file_actions_destroy(actions);
        }
    }

    /**
     * Puts the sockets at their numbers and closes everything else of start_server's
     * ({@link FdPlacement}: never a number at or above the open-files limit).
     */
    private void placeDescriptors(Pointer actions, SpawnRequest request) throws SpawnFailure {
        long limit = nat.openFilesLimit();
        FdPlacement.Plan plan;
        try {
            plan = FdPlacement.plan(openDescriptors(), request.fds(), limit, closeFromAvailable);
        } catch (FdPlacement.Impossible e) {
            throw new SpawnFailure("cannot place the sockets: " + e.getMessage(), Errno.EBADF);
        }
        for (int fd : plan.closeOnExecInParent()) {
            nat.setCloseOnExec(fd); // inherited above the limit, where no file action can reach it
        }
        boolean stdinPlaced = false;
        for (FdPlacement.Action action : plan.actions()) {
            if (action instanceof FdPlacement.Dup2 d) {
                check(libc.posix_spawn_file_actions_adddup2(actions, d.from(), d.to()), "dup2 action");
                stdinPlaced |= d.to() == 0;
            } else if (action instanceof FdPlacement.Close c) {
                check(libc.posix_spawn_file_actions_addclose(actions, c.fd()), "close action");
            } else if (action instanceof FdPlacement.CloseFrom c) {
                check(libc.posix_spawn_file_actions_addclosefrom_np(actions, c.fd()), "closefrom action");
            }
        }
        if (request.stdinFromDevNull() && !stdinPlaced) {
            check(libc.posix_spawn_file_actions_addopen(actions, 0, "/dev/null", O_RDONLY, 0), "open action");
        }
    }

    /** glibc before 2.34 lacks the closefrom action: every descriptor is then closed by name. */
    private static boolean closeFromAvailable(LibC libc, Runtime runtime) {
        Pointer probe = Memory.allocateDirect(runtime, ACTIONS_SIZE);
        libc.posix_spawn_file_actions_init(probe);
        try {
            return libc.posix_spawn_file_actions_addclosefrom_np(probe, 3) == 0;
        } catch (UnsatisfiedLinkError e) {
            return false;
        } finally {
            libc.posix_spawn_file_actions_destroy(probe);
        }
    }

    /** start_server's own descriptors: the JVM's jars and internals are not close-on-exec. */
    private static Set<Integer> openDescriptors() throws SpawnFailure {
        Set<Integer> fds = new TreeSet<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path p : dir) {
                fds.add(Integer.parseInt(p.getFileName().toString()));
            }
        } catch (IOException | NumberFormatException e) {
            throw new SpawnFailure("cannot list /proc/self/fd: " + e.getMessage(), 0);
        }
        return fds;
    }

    private Pointer[] strings(List<String> values, java.nio.charset.Charset charset, List<Pointer> keepAlive) {
        Pointer[] result = new Pointer[values.size() + 1];
        for (int i = 0; i < values.size(); i++) {
            byte[] bytes = values.get(i).getBytes(charset);
            Pointer p = Memory.allocateDirect(runtime, bytes.length + 1);
            p.put(0, bytes, 0, bytes.length);
            p.putByte(bytes.length, (byte) 0);
            keepAlive.add(p);
            result[i] = p;
        }
        result[values.size()] = null;
        return result;
    }

    private void check(int rc, String what) throws SpawnFailure {
        if (rc != 0) {
            throw new SpawnFailure("posix_spawn " + what + " failed: " + nat.strerror(rc), rc);
        }
    }
}
