package io.github.hotdeploy.agent.adoption;

import io.github.hotdeploy.protocol.InheritedSocket;
import java.io.FileDescriptor;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * An entry of SERVER_STARTER_PORT whose fd was checked to be a listening stream socket bound
 * where the key says. Its address is what the kernel reports, not what the key spells, so a key
 * with a host name matches binds to the address that name resolved to in start_server.
 */
public final class InheritedListener {

    private final InheritedSocket entry;
    private final FileDescriptor fd;
    private final InetSocketAddress address; // null for a unix socket
    private final String path;               // null for TCP
    private final boolean extra;

    InheritedListener(InheritedSocket entry, FileDescriptor fd, InetSocketAddress address, String path,
            boolean extra) {
        this.entry = entry;
        this.fd = fd;
        this.address = address;
        this.path = path;
        this.extra = extra;
    }

    /** For tests of the matching rules, where no real fd exists. */
    static InheritedListener forTest(String key, int fd, InetSocketAddress address, String path) {
        return new InheritedListener(InheritedSocket.of(key, fd), null, address, path, false);
    }

    /**
     * From SERVER_STARTER_EXTRA_PORT: a port the application bound itself in an earlier
     * generation, held by start_server since. Adopted like the others, but not one start_server
     * was asked to serve, so readiness does not wait for it.
     */
    public boolean isExtra() { return extra; }

    public String key() { return entry.key(); }

    public int fdNumber() { return entry.fd(); }

    FileDescriptor fd() { return fd; }

    InetSocketAddress address() { return address; }

    String path() { return path; }

    boolean isUnix() { return path != null; }

    boolean isWildcard() {
        InetAddress host = address == null ? null : address.getAddress();
        return host != null && host.isAnyLocalAddress();
    }

    @Override
    public String toString() {
        return entry.toString();
    }
}
