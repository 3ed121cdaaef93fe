package io.github.hotdeploy.protocol;

/**
 * One entry of {@code SERVER_STARTER_PORT}: the key exactly as start_server wrote it, and the
 * file descriptor number the socket sits at in the child.
 *
 * <p>The key has one of four shapes, fixed by the original Server::Starter: {@code 8080} (IPv4
 * wildcard), {@code host:8080}, {@code [v6]:8080}, or a unix socket path as given on the command
 * line. UDP entries look exactly like TCP ones; only the socket itself tells them apart.
 */
public final class InheritedSocket {

    /** How the key addresses the socket. */
    public enum Kind { PORT, HOST_PORT, IPV6_HOST_PORT, PATH }

    private final String key;
    private final int fd;
    private final Kind kind;
    private final String host; // null for PORT and PATH; without brackets for IPv6
    private final int port;    // -1 for PATH

    private InheritedSocket(String key, int fd, Kind kind, String host, int port) {
        this.key = key;
        this.fd = fd;
        this.kind = kind;
        this.host = host;
        this.port = port;
    }

    /**
     * Classifies a key. A key that does not look like a port spec is a unix socket path: the
     * original writes paths verbatim, so a relative path such as {@code app.sock} is legal.
     */
    public static InheritedSocket of(String key, int fd) {
        if (key.isEmpty()) {
            throw new IllegalArgumentException("empty key in " + ServerStarterPort.ENV + " entry '=" + fd + "'");
        }
        if (fd < 0) {
            throw new IllegalArgumentException("negative fd in " + ServerStarterPort.ENV + " entry '" + key + "=" + fd + "'");
        }
        if (isDigits(key)) {
            return new InheritedSocket(key, fd, Kind.PORT, null, parsePort(key));
        }
        if (key.startsWith("[")) {
            int close = key.lastIndexOf("]:");
            if (close > 0 && isDigits(key.substring(close + 2))) {
                return new InheritedSocket(key, fd, Kind.IPV6_HOST_PORT, key.substring(1, close),
                        parsePort(key.substring(close + 2)));
            }
        }
        int colon = key.lastIndexOf(':');
        if (colon > 0 && key.indexOf('/') < 0 && isDigits(key.substring(colon + 1))) {
            return new InheritedSocket(key, fd, Kind.HOST_PORT, key.substring(0, colon),
                    parsePort(key.substring(colon + 1)));
        }
        return new InheritedSocket(key, fd, Kind.PATH, null, -1);
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty() || s.length() > 5) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static int parsePort(String digits) {
        int port = Integer.parseInt(digits);
        if (port > 65535) {
            throw new IllegalArgumentException("port out of range: " + digits);
        }
        return port;
    }

    public String key() { return key; }

    public int fd() { return fd; }

    public Kind kind() { return kind; }

    /** The host part (IPv6 without brackets), or null for a bare port or a path. */
    public String host() { return host; }

    /** The port, or -1 for a unix socket path. */
    public int port() { return port; }

    /** The unix socket path, or null for a TCP/UDP entry. */
    public String path() { return kind == Kind.PATH ? key : null; }

    /** The {@code KEY=FD} form used in the environment variable. */
    @Override
    public String toString() { return key + "=" + fd; }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof InheritedSocket)) {
            return false;
        }
        InheritedSocket other = (InheritedSocket) o;
        return key.equals(other.key) && fd == other.fd;
    }

    @Override
    public int hashCode() { return key.hashCode() * 31 + fd; }
}
