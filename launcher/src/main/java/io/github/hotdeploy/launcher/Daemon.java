package io.github.hotdeploy.launcher;

import io.github.hotdeploy.launcher.cli.Settings;
import io.github.hotdeploy.launcher.os.Native;
import io.github.hotdeploy.launcher.sockets.BoundSocket;
import io.github.hotdeploy.launcher.sockets.ListenSpec;
import io.github.hotdeploy.launcher.sockets.SocketBinder;
import io.github.hotdeploy.launcher.spawning.ChildSpawner;
import io.github.hotdeploy.launcher.spawning.SpawnFailure;
import io.github.hotdeploy.launcher.spawning.SpawnRequest;
import io.github.hotdeploy.launcher.systemd.ListenFds;
import io.github.hotdeploy.launcher.systemd.PassedSocket;
import io.github.hotdeploy.launcher.systemd.SocketActivation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --daemonize}. A JVM cannot fork, so the original's fork-setsid-fork becomes
 * spawn-setsid-spawn: the parent binds the sockets (so that errors still reach the terminal),
 * then spawns {@code /bin/sh} as the leader of a new session with stdin on /dev/null; the shell
 * starts a second start_server in the background and exits at once, so the daemon, like the
 * original's, is in a new session it does not lead (it can never acquire a terminal) and its
 * parent is init. The sockets keep their fd numbers; the daemon recognises itself by {@link #ENV},
 * which its children never see.
 *
 * <p>That variable is a hand-over between two start_servers, but anyone can set it: it counts only
 * with {@code --daemonize} (the daemon has the parent's command line), and every descriptor it
 * names must be a socket bound as its option says (a listening one for TCP and unix sockets),
 * or the daemon stops with one line. {@code START_SERVER_DAEMON_FDS=2} handed stderr to the
 * children as their listener.
 */
final class Daemon {
    /** Comma-separated fds of the inherited sockets, in command-line order. */
    static final String ENV = "START_SERVER_DAEMON_FDS";

    enum Role { FOREGROUND, PARENT, DAEMON }

    private Daemon() {
    }

    static Role role(Map<String, String> env, boolean daemonize) {
        if (!daemonize) {
            return Role.FOREGROUND; // the variable, if any, was not set by a parent of ours
        }
        return env.containsKey(ENV) ? Role.DAEMON : Role.PARENT;
    }

    /** @param env start_server's environment as byte strings (EnvBytes), passed on unchanged */
    static void spawnDaemon(Native nat, ChildSpawner spawner, Map<String, String> env,
                            SocketBinder.BoundSockets sockets) throws DaemonError {
        ProcessHandle.Info self = ProcessHandle.current().info();
        Optional<String> java = self.command();
        Optional<String[]> arguments = self.arguments();
        if (java.isEmpty() || arguments.isEmpty()) {
            throw new DaemonError("cannot daemonize: the JVM's command line is not readable");
        }
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", "\"$@\" </dev/null & exit 0", "start_server"));
        argv.add(java.get());
        argv.addAll(List.of(arguments.get()));
        List<SpawnRequest.FdMapping> fds = new ArrayList<>();
        StringBuilder numbers = new StringBuilder();
        for (BoundSocket s : sockets.list()) {
            fds.add(new SpawnRequest.FdMapping(s.fd(), s.fd()));
            numbers.append(numbers.length() == 0 ? "" : ",").append(s.fd());
        }
        Map<String, String> daemonEnv = new LinkedHashMap<>(env);
        daemonEnv.put(ENV, numbers.toString());
        long shell;
        try {
            shell = spawner.spawn(new SpawnRequest(argv, daemonEnv, null, fds, true, true));
        } catch (SpawnFailure e) {
            throw new DaemonError("cannot daemonize: " + e.getMessage());
        }
        int[] status = new int[1];
        nat.waitpid(shell, status, 0); // the intermediate shell exits as soon as the daemon is started
        if (status[0] != 0) {
            throw new DaemonError("cannot daemonize: /bin/sh exited with status " + status[0]);
        }
    }

    static SocketBinder.BoundSockets inheritedSockets(Native nat, Map<String, String> env, Settings settings)
            throws DaemonError {
        String value = env.get(ENV);
        List<Integer> fds = new ArrayList<>();
        try {
            for (String part : value.split(",")) {
                if (!part.isEmpty()) {
                    fds.add(Integer.parseInt(part));
                }
            }
        } catch (NumberFormatException e) {
            throw new DaemonError("malformed " + ENV + ": " + value);
        }
        if (fds.size() != settings.sockets().size()) {
            throw new DaemonError("malformed " + ENV + ": " + value);
        }
        for (int i = 0; i < fds.size(); i++) {
            String problem = notAsAnnounced(nat, settings.sockets().get(i), fds.get(i));
            if (problem != null) {
                throw new DaemonError(ENV + " names fd " + fds.get(i) + " for " + settings.sockets().get(i).key()
                        + ", but " + problem + " (the variable is --daemonize's own, not to be set by hand)");
            }
        }
        return new SocketBinder(nat, Log::line).adopt(settings.sockets(), fds, settings.logFile() != null);
    }

    /** What is wrong with {@code fd} as the socket for {@code spec}, or null: the kernel's word, not the variable's. */
    private static String notAsAnnounced(Native nat, ListenSpec spec, int fd) {
        PassedSocket socket;
        try {
            socket = PassedSocket.probe(nat, new ListenFds.Passed(fd, ""));
        } catch (ListenFds.Invalid e) {
            return "fd " + fd + " is not a socket";
        }
        if (socket.stream() && !socket.listening()) {
            return socket.describe() + " is not listening";
        }
        SocketActivation.Plan match = SocketActivation.plan(List.of(spec), List.of(socket), host -> {
            try {
                return SocketBinder.resolveIpv4(host);
            } catch (SocketBinder.BindFailure e) {
                return null;
            }
        }, Path.of("").toAbsolutePath());
        return match.inherited().get(0) == fd ? null : socket.describe() + " is not bound as " + spec.key();
    }

    static final class DaemonError extends Exception {
        DaemonError(String message) {
            super(message);
        }
    }
}
