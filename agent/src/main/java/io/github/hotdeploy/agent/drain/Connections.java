package io.github.hotdeploy.agent.drain;

import io.github.hotdeploy.agent.bootstrap.JdkInternals;
import java.io.File;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * This process's TCP connections on the adopted ports, followed through their fds.
 *
 * <p>Which fds they are is learnt by listing /proc/self/fd ({@link #scan()}): a readlink per open
 * fd, ~7 µs each, so it is done now and then, not on every look. Once accepts are stopped no
 * connection appears but the one a thread already inside accept(2) may still take, which the
 * next scan finds. Between scans a look costs one FIONREAD per connection.
 *
 * <p>/proc/net/tcp is read only on JDKs without FIONREAD (before 13): the kernel walks its whole
 * established-connection hash to print it, whatever few sockets this process has, which measured
 * 13 ms of CPU per look (tcp and tcp6) on a machine with the default 262,144 buckets.
 */
final class Connections {

    /** One connection, by the fd through which this process holds it. */
    static final class Connection {
        final int fd;
        final long inode;
        final FileDescriptor handle; // owns nothing: no cleaner ever closes it
        /** Established with nothing unread, as of the last look. */
        boolean quiet;

        Connection(int fd, long inode, FileDescriptor handle) {
            this.fd = fd;
            this.inode = inode;
            this.handle = handle;
        }

        @Override
        public String toString() {
            return "fd " + fd + (quiet ? " quiet" : " busy");
        }
    }

    private final JdkInternals jdk;
    private final Set<Integer> ports;
    private final SocketTable table = new SocketTable();
    private final Map<Long, Connection> byInode = new LinkedHashMap<Long, Connection>();
    // Sockets that are not ours (listeners, clients, other ports, UDP, unix): asked about once.
    private final Set<Long> others = new HashSet<Long>();
    private int[] epollFds = new int[0];
    private boolean fionread = true;

    Connections(JdkInternals jdk, Set<Integer> ports) {
        this.jdk = jdk;
        this.ports = ports;
    }

    /**
     * Lists /proc/self/fd: our connections, and the epoll fds (selectors live as long as the
     * server, so this is also when {@link #epollFds()} is renewed).
     *
     * @throws IOException when /proc/self/fd cannot be listed
     */
    void scan() throws IOException {
        String[] names = new File("/proc/self/fd").list();
        if (names == null) {
            throw new IOException("cannot list /proc/self/fd");
        }
        Map<Long, Connection> found = new LinkedHashMap<Long, Connection>();
        int[] epolls = new int[names.length];
        int epollCount = 0;
        for (String name : names) {
            int fd;
            try {
                fd = Integer.parseInt(name);
            } catch (NumberFormatException notAnFd) {
                continue;
            }
            String target = ReadWaits.readLink("/proc/self/fd/" + name);
            if (target == null) {
                continue; // closed meanwhile
            }
            if (target.equals("anon_inode:[eventpoll]")) {
                epolls[epollCount++] = fd;
                continue;
            }
            long inode = SocketTable.socketInode(target);
            if (inode < 0 || others.contains(inode)) {
                continue;
            }
            Connection known = byInode.get(inode);
            if (known != null && known.fd == fd) {
                found.put(inode, known);
                continue;
            }
            Connection c = classify(fd, inode);
            if (c == null) {
                others.add(inode);
            } else {
                found.put(inode, c);
            }
        }
        byInode.clear();
        byInode.putAll(found);
        int[] e = new int[epollCount];
        System.arraycopy(epolls, 0, e, 0, epollCount);
        epollFds = e;
    }

    /** Ours when it is a connected TCP socket (not a listener) whose local port is adopted. */
    private Connection classify(int fd, long inode) {
        if (jdk.socketType(fd) != JdkInternals.SOCK_STREAM) {
            return null;
        }
        try {
            FileDescriptor handle = jdk.newFd(fd);
            if (jdk.isListening(handle)) {
                return null;
            }
            InetSocketAddress local = jdk.localAddress(handle);
            return local != null && ports.contains(local.getPort()) ? new Connection(fd, inode, handle) : null;
        } catch (IOException | RuntimeException unixOrGone) {
            return null; // a unix socket has no InetSocketAddress; a closed fd no address at all
        }
    }

    /**
     * The connections of the last scan whose fds are still open, each with {@code quiet} as of
     * now. A connection whose fd was closed is dropped; one whose fd number was reused by
     * another socket is not noticed before the next scan (whoever acts on a connection checks
     * its fd's link first).
     */
    List<Connection> look() throws IOException {
        List<Connection> live = new ArrayList<Connection>(byInode.size());
        if (fionread) {
            for (java.util.Iterator<Connection> it = byInode.values().iterator(); it.hasNext(); ) {
                Connection c = it.next();
                int unread;
                try {
                    unread = jdk.available(c.handle);
                } catch (IOException closed) {
                    it.remove();
                    continue;
                }
                if (unread < 0) {
                    fionread = false; // this JDK has no FIONREAD: the table tells instead
                    break;
                }
                c.quiet = unread == 0;
                live.add(c);
            }
            if (fionread) {
                return live;
            }
            live.clear();
        }
        Map<Long, Integer> fdByInode = new HashMap<Long, Integer>();
        for (Connection c : byInode.values()) {
            fdByInode.put(c.inode, c.fd);
        }
        Map<Long, SocketTable.Connection> queues = table.queues(ports, fdByInode);
        for (java.util.Iterator<Connection> it = byInode.values().iterator(); it.hasNext(); ) {
            Connection c = it.next();
            SocketTable.Connection q = queues.get(c.inode);
            if (q == null) {
                it.remove(); // closed
                continue;
            }
            c.quiet = q.state == SocketTable.ESTABLISHED && q.unread == 0;
            live.add(c);
        }
        return live;
    }

    /** The epoll fds found by the last scan. */
    int[] epollFds() {
        return epollFds;
    }

    int size() {
        return byInode.size();
    }
}
