package io.github.hotdeploy.launcher.sockets;

import io.github.hotdeploy.launcher.os.Errno;
import io.github.hotdeploy.launcher.os.Native;
import io.github.hotdeploy.launcher.os.SocketAddresses;
import io.github.hotdeploy.launcher.readiness.AgentReports.OwnBind;
import io.github.hotdeploy.protocol.InheritedSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Ports the application listens on besides start_server's (Tomcat's shutdown port and AJP
 * connector, Spring Boot's management port, H2's TCP server...), which start_server takes over
 * from the generation that bound them and from then on holds like its own sockets: every later
 * generation inherits them (SERVER_STARTER_EXTRA_PORT) and its agent adopts them at the
 * application's bind, so a new generation never finds such a port taken by the old one, and no
 * connection waiting in its queue is lost when the old one closes it (the socket is one and the
 * same, as for --port).
 *
 * <p>A port is learnt from the agent's report of the bind (fd and address in the JVM), and taken
 * with pidfd_getfd(2) when the next generation is about to start, once the application listens
 * there. Where that is not possible (Linux before 5.6, a seccomp filter, a JVM of another user
 * while start_server is not root), one line says so and the next generation binds as without
 * us.
 */
public final class HeldListeners implements AutoCloseable {

    /** One held socket: its key as the application bound it, and start_server's descriptor. */
    public record Held(String key, int fd, int port) {
    }

    private final Native nat;
    private final Consumer<String> log;
    private final Map<String, Held> held = new LinkedHashMap<>();
    private final Set<String> refused = new java.util.HashSet<>();

    public HeldListeners(Native nat, Consumer<String> log) {
        this.nat = nat;
        this.log = log;
    }

    /**
     * Takes over each reported bind that is now a listening TCP socket on the reported port and
     * not held yet, nor on a port start_server already serves.
     *
     * @param generation the number of the generation that made the binds, for the log
     */
    public void takeOver(List<OwnBind> binds, Set<Integer> servedPorts, int generation) {
        for (OwnBind bind : binds) {
            if (held.containsKey(bind.key())) {
                continue;
            }
            int port = portOf(bind.key());
            if (port <= 0 || servedPorts.contains(port)) {
                continue;
            }
            int fd;
            try {
                fd = nat.takeDescriptor(bind.pid(), bind.fd());
            } catch (Errno e) {
                if (e.code() != Errno.ESRCH && e.code() != Errno.EBADF && refused.add(bind.key())) {
                    log.accept("start_server: warning: cannot take over " + bind.key() + " from pid " + bind.pid()
                            + " (" + e.getMessage() + "); a new generation's bind there fails while the old"
                            + " one holds it. Give it to start_server with --port, or see docs/launcher.md#extra-ports");
                }
                continue;
            }
            if (nat.intOption(fd, SocketAddresses.SOL_SOCKET, SocketAddresses.SO_TYPE) != SocketAddresses.SOCK_STREAM
                    || nat.intOption(fd, SocketAddresses.SOL_SOCKET, SocketAddresses.SO_ACCEPTCONN) != 1
                    || nat.localPort(fd) != port) {
                nat.close(fd); // not (or no longer) listening there: a client socket, or closed and reused
                continue;
            }
            held.put(bind.key(), new Held(bind.key(), fd, port));
            log.accept("start_server: holding " + bind.key() + ", which generation " + generation + " (pid "
                    + bind.pid() + ") listens on, for the next generations");
        }
    }

    /** Stops holding a socket no generation uses any more (the application's configuration changed). */
    public void release(String key) {
        Held h = held.remove(key);
        if (h != null) {
            nat.close(h.fd());
            log.accept("start_server: no longer holding " + key + ": the serving generation does not listen there");
        }
    }

    public List<Held> list() {
        return new ArrayList<>(held.values());
    }

    @Override
    public void close() {
        for (Held h : held.values()) {
            nat.close(h.fd());
        }
        held.clear();
    }

    static int portOf(String key) {
        try {
            InheritedSocket socket = InheritedSocket.of(key, 0);
            return socket.kind() == InheritedSocket.Kind.PATH ? -1 : socket.port();
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }
}
