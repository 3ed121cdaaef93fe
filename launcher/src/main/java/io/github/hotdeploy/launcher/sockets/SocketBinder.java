package io.github.hotdeploy.launcher.sockets;

import io.github.hotdeploy.launcher.os.LibC;
import io.github.hotdeploy.launcher.os.Native;
import static io.github.hotdeploy.launcher.os.SocketAddresses.*;
import io.github.hotdeploy.launcher.os.SocketAddresses;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.byref.IntByReference;

/**
 * Binds the listening sockets with the original's socket options: SO_REUSEADDR on all,
 * IPV6_V6ONLY on IPv6 literals, listen(backlog) for stream sockets, close-on-exec clear.
 *
 * <p>Sockets are created with libc calls rather than JDK channels: the JDK offers no IPV6_V6ONLY,
 * opens dual-stack sockets by default, and hides the descriptor.
 */
public final class SocketBinder {
    private final Native nat;
    private final LibC libc;
    private final java.util.function.Consumer<String> warn;

    public SocketBinder(Native nat, java.util.function.Consumer<String> warn) {
        this.nat = nat;
        this.libc = nat.libc();
        this.warn = warn;
    }

    /**
     * Binds every spec in order, or none: on the first failure everything already bound is
     * closed and its socket files removed.
     */
    public BoundSockets bindAll(List<ListenSpec> specs, int backlog, boolean logFileOpen) throws BindFailure {
        return bindAll(specs, backlog, logFileOpen, List.of());
    }

    /**
     * As {@link #bindAll(List, int, boolean)}, but a spec whose entry in {@code inherited} is a
     * descriptor (not -1) takes that socket, already bound and listening (socket activation): it
     * is announced exactly as if bound here, and its socket file, if any, is not ours to remove.
     */
    public BoundSockets bindAll(List<ListenSpec> specs, int backlog, boolean logFileOpen, List<Integer> inherited)
            throws BindFailure {
        List<Integer> childFds = ChildFdLayout.assign(specs, logFileOpen);
        BoundSockets bound = new BoundSockets(nat);
        try {
            for (int i = 0; i < specs.size(); i++) {
                ListenSpec spec = specs.get(i);
                int passed = i < inherited.size() ? inherited.get(i) : -1;
                int fd = passed >= 0 ? passed
                        : spec instanceof InetListenSpec inet
                        ? bindInet(inet, backlog)
                        : bindUnix((UnixListenSpec) spec, backlog, bound);
                bound.add(new BoundSocket(spec, fd, childFds.get(i)));
            }
            return bound;
        } catch (BindFailure | RuntimeException e) {
            bound.close();
            throw e;
        }
    }

    /**
     * The sockets a daemonizing parent bound and passed on at the same fd numbers: the daemon
     * owns them (and their socket files) from now on.
     */
    public BoundSockets adopt(List<ListenSpec> specs, List<Integer> fds, boolean logFileOpen) {
        List<Integer> childFds = ChildFdLayout.assign(specs, logFileOpen);
        BoundSockets bound = new BoundSockets(nat);
        for (int i = 0; i < specs.size(); i++) {
            bound.add(new BoundSocket(specs.get(i), fds.get(i), childFds.get(i)));
            if (specs.get(i) instanceof UnixListenSpec unix) {
                bound.ownSocketFile(unix.path());
            }
        }
        return bound;
    }

    private int bindInet(InetListenSpec spec, int backlog) throws BindFailure {
        byte[] address = spec.ipv6() ? sockaddrIn6(spec) : sockaddrIn(spec);
        int fd = libc.socket(spec.ipv6() ? AF_INET6 : AF_INET, spec.udp() ? SOCK_DGRAM : SOCK_STREAM, 0);
        if (fd < 0) {
            throw new BindFailure("failed to create socket for " + spec.key() + ": " + strerror());
        }
        try {
            setIntOption(fd, SOL_SOCKET, SO_REUSEADDR, "SO_REUSEADDR");
            if (spec.ipv6()) {
                setIntOption(fd, IPPROTO_IPV6, IPV6_V6ONLY, "IPV6_V6ONLY");
            }
            if (libc.bind(fd, address, address.length) != 0) {
                throw new BindFailure("failed to bind to " + spec.key() + ": " + strerror());
            }
            if (!spec.udp() && libc.listen(fd, backlog) != 0) {
                throw new BindFailure("listen(2) failed on " + spec.key() + ": " + strerror());
            }
            return fd;
        } catch (BindFailure e) {
            nat.close(fd);
            throw e;
        }
    }

    private int bindUnix(UnixListenSpec spec, int backlog, BoundSockets bound) throws BindFailure {
        String path = spec.path();
        byte[] address = SocketAddresses.unix(path);
        if (address == null) {
            throw new BindFailure("failed to listen to file " + path + ": path must be 1-" + (UNIX_PATH_MAX - 1)
                    + " bytes long");
        }
        if (Native.exists(path)) {
            if (!Native.isSocket(path)) {
                // The original unlinks whatever is there; deleting a user's file is never right.
                throw new BindFailure("failed to listen to file " + path + ": it exists and is not a socket");
            }
            warn.accept("removing existing socket file:" + path);
            if (nat.unlink(path) != 0) {
                throw new BindFailure("failed to remove existing socket file:" + path + ": " + strerror());
            }
        }
        int fd = libc.socket(AF_UNIX, SOCK_STREAM, 0);
        if (fd < 0) {
            throw new BindFailure("failed to create socket for " + path + ": " + strerror());
        }
        if (libc.bind(fd, address, address.length) != 0) {
            String reason = strerror();
            nat.close(fd);
            throw new BindFailure("failed to listen to file " + path + ": " + reason);
        }
        bound.ownSocketFile(path);
        if (libc.listen(fd, backlog) != 0) {
            String reason = strerror();
            nat.close(fd);
            throw new BindFailure("failed to listen to file " + path + ": " + reason);
        }
        return fd;
    }

    private void setIntOption(int fd, int level, int name, String what) throws BindFailure {
        if (libc.setsockopt(fd, level, name, new IntByReference(1), 4) != 0) {
            throw new BindFailure("setsockopt(" + what + ") failed: " + strerror());
        }
    }

    private String strerror() {
        return nat.strerror(nat.errno());
    }

    private static byte[] sockaddrIn(InetListenSpec spec) throws BindFailure {
        return SocketAddresses.inet(spec.host() == null ? new byte[4] : resolveIpv4(spec.host()), spec.port());
    }

    private static byte[] sockaddrIn6(InetListenSpec spec) throws BindFailure {
        Inet6Address ip;
        try {
            // A literal only: the original passes it to inet_pton, never to the resolver.
            InetAddress parsed = InetAddress.getByName(literalOnly(spec.host()));
            if (!(parsed instanceof Inet6Address v6)) {
                throw new BindFailure("failed to resolve host:" + spec.host() + ": not an IPv6 address");
            }
            ip = v6;
        } catch (UnknownHostException e) {
            throw new BindFailure("failed to resolve host:" + spec.host() + ": not an IPv6 address");
        }
        return SocketAddresses.inet6(ip.getAddress(), ip.getScopeId(), spec.port());
    }

    private static String literalOnly(String host) throws BindFailure {
        for (char c : host.toCharArray()) {
            if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.' || c == '%')) {
                throw new BindFailure("failed to resolve host:" + host + ": not an IPv6 address");
            }
        }
        return host;
    }

    /** The IPv4 address binding {@code host} would use, as {@code --port=HOST:PORT} resolves it. */
    public static byte[] resolveIpv4(String host) throws BindFailure {
        try {
            for (InetAddress candidate : InetAddress.getAllByName(host)) {
                if (candidate instanceof Inet4Address) {
                    return candidate.getAddress();
                }
            }
        } catch (UnknownHostException e) {
            // fall through: one message for "unknown" and "no IPv4 address"
        }
        throw new BindFailure("failed to resolve host:" + host + ": no IPv4 address found");
    }


    /** Binding failed; the message is the one-line error for the user. */
    public static final class BindFailure extends Exception {
        public BindFailure(String message) {
            super(message);
        }
    }

    /** The listening sockets, closed (and socket files removed) together. */
    public static final class BoundSockets implements AutoCloseable {
        private final Native nat;
        private final List<BoundSocket> sockets = new ArrayList<>();
        private final List<String> socketFiles = new ArrayList<>();

        BoundSockets(Native nat) {
            this.nat = nat;
        }

        void add(BoundSocket socket) {
            sockets.add(socket);
        }

        void ownSocketFile(String path) {
            socketFiles.add(path);
        }

        public List<BoundSocket> list() {
            return List.copyOf(sockets);
        }

        /** SERVER_STARTER_PORT's value. */
        public String environmentValue() {
            StringBuilder sb = new StringBuilder();
            for (BoundSocket s : sockets) {
                if (sb.length() > 0) {
                    sb.append(';');
                }
                sb.append(s.entry());
            }
            return sb.toString();
        }

        /** Forgets the socket files without removing them: the daemonizing parent hands them over. */
        public void disownSocketFiles() {
            socketFiles.clear();
        }

        @Override
        public void close() {
            for (BoundSocket s : sockets) {
                nat.close(s.fd());
            }
            sockets.clear();
            for (String path : socketFiles) {
                // Only a socket: if someone replaced it with a file meanwhile, it is not ours.
                if (Native.isSocket(path)) {
                    nat.unlink(path);
                }
            }
            socketFiles.clear();
        }
    }
}
