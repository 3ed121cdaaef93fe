package io.github.hotdeploy.agent.drain;

import io.github.hotdeploy.agent.bootstrap.JdkInternals;
import io.github.hotdeploy.agent.drain.http.ResponseStream;
import io.github.hotdeploy.agent.drain.http.WriteEditor;
import java.io.File;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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

    /**
     * One connection, by the fd through which this process holds it. Its writes pass through its
     * editor (app threads); what the drain reads of them is published in the volatile fields.
     */
    static final class Connection implements ResponseStream.MarkPolicy {
        // publish(): bits of writeState
        static final int IN_RESPONSE = 1;
        static final int UPGRADED = 2;
        static final int HTTP = 4;
        static final int TLS = 8;
        static final int HTTP2 = 16;
        static final int GOAWAY_SENT = 32;

        final int fd;
        final long inode;
        final int port;
        final FileDescriptor handle; // owns nothing: no cleaner ever closes it
        private final JdkInternals jdk;
        private final DrainWrites writes;
        /** Nothing unread (and, where the tcp table tells, established), as of the last look. */
        boolean quiet;
        // ---- the write path's (app threads)
        final WriteEditor editor = new WriteEditor();
        volatile FileDescriptor appFd;
        volatile long lastWriteNanos;
        // reads and writes seen since the drain began (approximate counts: several threads may add)
        volatile int reads;
        volatile int writesSeen;
        volatile long finSentNanos;
        volatile int writeState;
        // ---- the drain thread's
        final ConnectionVerdict verdict = new ConnectionVerdict();
        int appWaits = ConnectionVerdict.APP_BUSY;
        int unwatchedLook = -2;
        boolean halfClosed;   // idle, closed by us after the grace period
        long halfClosedAt;
        boolean released;     // no longer waited for

        Connection(int fd, long inode, int port, FileDescriptor handle, JdkInternals jdk, DrainWrites writes) {
            this.fd = fd;
            this.inode = inode;
            this.port = port;
            this.handle = handle;
            this.jdk = jdk;
            this.writes = writes;
        }

        @Override
        public boolean goawayDue() {
            return writes.goawayDue();
        }

        /** A response is marked close unless the client has already sent more (pipelining). */
        @Override
        public boolean mayClose() {
            try {
                return jdk.available(handle) <= 0;
            } catch (IOException closed) {
                return true;
            }
        }

        void publish(ResponseStream stream, long now) {
            writesSeen++;
            writeState = (stream.inResponse() ? IN_RESPONSE : 0) | (stream.upgraded() ? UPGRADED : 0)
                    | (stream.sawResponse() ? HTTP : 0) | (stream.sawTls() ? TLS : 0)
                    | (stream.http2() ? HTTP2 : 0) | (stream.goawaySent() ? GOAWAY_SENT : 0);
            lastWriteNanos = now;
        }

        boolean has(int bit) {
            return (writeState & bit) != 0;
        }

        /**
         * Requests and answers passed both ways during the drain, and none looked like HTTP (no
         * HTTP/1.x response began, no HTTP/2 frames, no TLS): a protocol the agent does not speak.
         */
        boolean otherProtocol() {
            return reads >= 2 && writesSeen >= 2 && (writeState & (HTTP | HTTP2 | TLS | UPGRADED)) == 0;
        }

        @Override
        public String toString() {
            return "fd " + fd + (quiet ? " quiet" : " busy");
        }
    }

    private final JdkInternals jdk;
    private final Set<Integer> ports;
    private final DrainWrites writes;
    private final SocketTable table = new SocketTable();
    // By fd number (fds are small and dense; no boxed inodes in maps, see Drain): our
    // connections, and the inode of each socket found not to be ours (listeners, clients, other
    // ports, UDP, unix), so that each socket is asked about once.
    private volatile Connection[] byFd = new Connection[0];
    private long[] otherByFd = new long[0];
    private int[] epollFds = new int[0];
    private boolean fionread = true;

    Connections(JdkInternals jdk, Set<Integer> ports, DrainWrites writes) {
        this.jdk = jdk;
        this.ports = ports;
        this.writes = writes;
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
        int[] fds = new int[names.length];
        int count = 0;
        int maxFd = -1;
        for (String name : names) {
            try {
                fds[count] = Integer.parseInt(name);
            } catch (NumberFormatException notAnFd) {
                continue;
            }
            maxFd = Math.max(maxFd, fds[count++]);
        }
        unixInodes = null; // read again by this scan if a new socket needs it
        Connection[] found = new Connection[maxFd + 1];
        long[] others = new long[maxFd + 1];
        Arrays.fill(others, -1);
        int[] epolls = new int[count];
        int epollCount = 0;
        for (int i = 0; i < count; i++) {
            int fd = fds[i];
            String target = ReadWaits.readLink("/proc/self/fd/" + fd);
            if (target == null) {
                continue; // closed meanwhile
            }
            if (target.equals("anon_inode:[eventpoll]")) {
                epolls[epollCount++] = fd;
                continue;
            }
            long inode = SocketTable.socketInode(target);
            if (inode < 0) {
                continue;
            }
            if (fd < otherByFd.length && otherByFd[fd] == inode) {
                others[fd] = inode;
                continue;
            }
            Connection known = fd < byFd.length ? byFd[fd] : null;
            if (known != null && known.inode == inode) {
                found[fd] = known;
                continue;
            }
            Connection c = classify(fd, inode);
            if (c == null) {
                others[fd] = inode;
            } else {
                found[fd] = c;
            }
        }
        dropDuplicates(found);
        byFd = found;
        otherByFd = others;
        epollFds = Arrays.copyOf(epolls, epollCount);
    }

    // The app may hold one connection through two fds (dup): it is one connection to wait for.
    private static void dropDuplicates(Connection[] byFd) {
        long[] inodes = new long[byFd.length];
        int n = 0;
        for (Connection c : byFd) {
            if (c != null) {
                inodes[n++] = c.inode;
            }
        }
        Arrays.sort(inodes, 0, n);
        for (int i = 1; i < n; i++) {
            if (inodes[i] == inodes[i - 1]) {
                boolean first = true;
                for (int fd = 0; fd < byFd.length; fd++) {
                    if (byFd[fd] != null && byFd[fd].inode == inodes[i]) {
                        if (!first) {
                            byFd[fd] = null;
                        }
                        first = false;
                    }
                }
            }
        }
    }

    private long[] unixInodes;

    /** Ours when it is a connected TCP socket (not a listener) whose local port is adopted. */
    private Connection classify(int fd, long inode) {
        if (jdk.socketType(fd) != JdkInternals.SOCK_STREAM || isUnix(inode)) {
            return null;
        }
        try {
            FileDescriptor handle = jdk.newFd(fd);
            if (jdk.isListening(handle)) {
                return null;
            }
            InetSocketAddress local = jdk.localAddress(handle);
            return local != null && ports.contains(local.getPort())
                    ? new Connection(fd, inode, local.getPort(), handle, jdk, writes) : null;
        } catch (IOException | RuntimeException unixOrGone) {
            return null; // a unix socket has no InetSocketAddress; a closed fd no address at all
        }
    }

    // The JDK's getsockname conversion reads any family but INET6 as INET, so a unix socket
    // would get a "port" made of its path's first bytes: unix sockets are told apart first, by
    // /proc/self/net/unix (a short table, unlike tcp's).
    private boolean isUnix(long inode) {
        if (unixInodes == null) {
            unixInodes = SocketTable.unixInodes();
        }
        return Arrays.binarySearch(unixInodes, inode) >= 0;
    }

    /** The connection the last scan found on fd number {@code fd}, or null. Any thread. */
    Connection byFd(int fd) {
        Connection[] known = byFd;
        return fd >= 0 && fd < known.length ? known[fd] : null;
    }

    /** By fd number, the connections the last scan found: whose writes the bridge offers the editor. */
    boolean[] followed() {
        Connection[] known = byFd;
        boolean[] f = new boolean[known.length];
        for (Connection c : known) {
            if (c != null) {
                f[c.fd] = true;
            }
        }
        return f;
    }

    /**
     * The connections of the last scan whose fds are still open, each with {@code quiet} as of
     * now. A connection whose fd was closed is dropped; one whose fd number was reused by
     * another socket is not noticed before the next scan (whoever acts on a connection checks
     * its fd's link first).
     */
    List<Connection> look() throws IOException {
        Connection[] byFd = this.byFd;
        List<Connection> live = new ArrayList<Connection>();
        if (fionread) {
            for (int fd = 0; fd < byFd.length; fd++) {
                Connection c = byFd[fd];
                if (c == null) {
                    continue;
                }
                int unread;
                try {
                    unread = jdk.available(c.handle);
                } catch (IOException closed) {
                    byFd[fd] = null;
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
        for (Connection c : byFd) {
            if (c != null) {
                fdByInode.put(c.inode, c.fd);
            }
        }
        Map<Long, SocketTable.Connection> queues = table.queues(ports, fdByInode);
        for (int fd = 0; fd < byFd.length; fd++) {
            Connection c = byFd[fd];
            if (c == null) {
                continue;
            }
            SocketTable.Connection q = queues.get(c.inode);
            if (q == null) {
                byFd[fd] = null; // closed
                continue;
            }
            c.quiet = q.state == SocketTable.ESTABLISHED && q.unread == 0;
            live.add(c);
        }
        return live;
    }

    /**
     * Stops following a connection (one half-closed for longer than the drain waits for it):
     * later looks and scans skip it.
     */
    void forget(Connection c) {
        Connection[] byFd = this.byFd;
        if (c.fd < byFd.length && byFd[c.fd] == c) {
            byFd[c.fd] = null;
            otherByFd[c.fd] = c.inode;
        }
    }

    /** The epoll fds found by the last scan. */
    int[] epollFds() {
        return epollFds;
    }

}
