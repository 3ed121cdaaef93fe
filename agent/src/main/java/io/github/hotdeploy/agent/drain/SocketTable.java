package io.github.hotdeploy.agent.drain;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * This process's TCP connections on given local ports as /proc/self/net/tcp and tcp6 print them:
 * state and queues. Only for JDKs without FIONREAD (before 13): printing these tables makes the
 * kernel walk its whole connection hash, which costs milliseconds of CPU per read whatever few
 * sockets are ours (see {@link Connections}).
 */
final class SocketTable {

    // TCP states as /proc/net/tcp prints them (include/net/tcp_states.h).
    static final int ESTABLISHED = 0x01;
    static final int FIN_WAIT1 = 0x04;
    static final int FIN_WAIT2 = 0x05;
    static final int CLOSE_WAIT = 0x08;
    static final int LAST_ACK = 0x09;
    static final int LISTEN = 0x0A;
    static final int CLOSING = 0x0B;

    /** One connection, by the fd through which this process holds it. */
    static final class Connection {
        final int fd;
        final long inode;
        final int state;
        final long unsent;  // tx_queue: written but not yet acknowledged by the peer
        final long unread;  // rx_queue: arrived but not yet read by the app

        Connection(int fd, long inode, int state, long unsent, long unread) {
            this.fd = fd;
            this.inode = inode;
            this.state = state;
            this.unsent = unsent;
            this.unread = unread;
        }

        @Override
        public String toString() {
            return "fd " + fd + " state " + Integer.toHexString(state) + " unsent " + unsent + " unread " + unread;
        }
    }

    private final byte[] buffer = new byte[64 * 1024];

    /** By inode, the connections (not listeners) among {@code fdByInode} whose local port is in {@code ports}. */
    Map<Long, Connection> queues(Set<Integer> ports, Map<Long, Integer> fdByInode) throws IOException {
        List<Connection> found = new ArrayList<Connection>();
        if (!fdByInode.isEmpty() && !ports.isEmpty()) {
            scan("/proc/self/net/tcp", ports, fdByInode, found);
            scan("/proc/self/net/tcp6", ports, fdByInode, found);
        }
        Map<Long, Connection> byInode = new HashMap<Long, Connection>();
        for (Connection c : found) {
            byInode.put(c.inode, c);
        }
        return byInode;
    }

    /** The inodes of this network namespace's unix sockets, sorted; empty when unreadable. */
    static long[] unixInodes() {
        try {
            return unixInodes(new SocketTable().readAll("/proc/self/net/unix"));
        } catch (IOException e) {
            return new long[0];
        }
    }

    /** "Num RefCount Protocol Flags Type St Inode [Path]" per line after the header. */
    static long[] unixInodes(String table) {
        if (table == null) {
            return new long[0];
        }
        String[] lines = table.split("\n");
        long[] inodes = new long[lines.length];
        int n = 0;
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].trim().split(" +");
            if (f.length >= 7) {
                try {
                    inodes[n++] = Long.parseLong(f[6]);
                } catch (NumberFormatException malformed) {
                    n--;
                }
            }
        }
        long[] sorted = java.util.Arrays.copyOf(inodes, n);
        java.util.Arrays.sort(sorted);
        return sorted;
    }

    /** The inode of a /proc/self/fd link to a socket ("socket:[123]"), or -1 for anything else. */
    static long socketInode(String linkTarget) {
        if (!linkTarget.startsWith("socket:[") || !linkTarget.endsWith("]")) {
            return -1;
        }
        try {
            return Long.parseLong(linkTarget.substring(8, linkTarget.length() - 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void scan(String path, Set<Integer> ports, Map<Long, Integer> fdByInode, List<Connection> out)
            throws IOException {
        String text = readAll(path);
        if (text == null) {
            return; // no IPv6 in this kernel, for example
        }
        int lineStart = text.indexOf('\n') + 1; // header
        while (lineStart > 0 && lineStart < text.length()) {
            int lineEnd = text.indexOf('\n', lineStart);
            if (lineEnd < 0) {
                lineEnd = text.length();
            }
            Connection c = parse(text.substring(lineStart, lineEnd), ports, fdByInode);
            if (c != null) {
                out.add(c);
            }
            lineStart = lineEnd + 1;
        }
    }

    /** One line of /proc/net/tcp{,6}, or null when it is not one of ours. */
    static Connection parse(String line, Set<Integer> ports, Map<Long, Integer> fdByInode) {
        // Most lines are other sockets of the machine: look at the local port before splitting.
        int local = skipField(line, skipSpaces(line, 0)); // past "sl:"
        local = skipSpaces(line, local);
        int localEnd = skipField(line, local);
        int colon = line.lastIndexOf(':', localEnd);
        if (colon <= local) {
            return null;
        }
        try {
            if (!ports.contains(Integer.parseInt(line.substring(colon + 1, localEnd), 16))) {
                return null;
            }
        } catch (NumberFormatException malformed) {
            return null;
        }
        String[] f = line.trim().split("\\s+");
        if (f.length < 10) {
            return null;
        }
        try {
            int state = Integer.parseInt(f[3], 16);
            if (state == LISTEN) {
                return null;
            }
            Integer fd = fdByInode.get(Long.parseLong(f[9]));
            if (fd == null) {
                return null; // another process's, or an orphan the kernel finishes alone
            }
            int queues = f[4].indexOf(':');
            long unsent = Long.parseLong(f[4].substring(0, queues), 16);
            long unread = Long.parseLong(f[4].substring(queues + 1), 16);
            return new Connection(fd, Long.parseLong(f[9]), state, unsent, unread);
        } catch (RuntimeException malformed) {
            return null;
        }
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    private static int skipField(String s, int i) {
        while (i < s.length() && s.charAt(i) != ' ') {
            i++;
        }
        return i;
    }

    private String readAll(String path) throws IOException {
        InputStream in;
        try {
            in = new FileInputStream(path);
        } catch (IOException missing) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                text.append(new String(buffer, 0, n, "ISO-8859-1"));
            }
        } finally {
            in.close();
        }
        return text.toString();
    }
}
