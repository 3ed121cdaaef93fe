package io.github.hotdeploy.agent.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What the kernel says about sockets, read from /proc: the ground truth the tests compare. */
public final class ProcSockets {

    private static final Pattern SOCKET_LINK = Pattern.compile("socket:\\[(\\d+)]");

    private ProcSockets() {
    }

    /** fd number to socket inode, for every socket fd of a process. */
    public static Map<Integer, Long> socketFds(long pid) {
        Map<Integer, Long> sockets = new HashMap<>();
        try (Stream<Path> fds = Files.list(Paths.get("/proc", Long.toString(pid), "fd"))) {
            fds.forEach(fd -> {
                try {
                    Matcher m = SOCKET_LINK.matcher(Files.readSymbolicLink(fd).toString());
                    if (m.matches()) {
                        sockets.put(Integer.parseInt(fd.getFileName().toString()), Long.parseLong(m.group(1)));
                    }
                } catch (IOException gone) {
                    // closed while we looked
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot list fds of " + pid, e);
        }
        return sockets;
    }

    /** Inodes of TCP sockets in LISTEN state on the given local port (IPv4 and IPv6). */
    public static List<Long> tcpListeners(int port) {
        List<Long> inodes = new ArrayList<>();
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            try {
                for (String line : Files.readAllLines(Paths.get(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length < 10 || !f[1].contains(":") || f[0].equals("sl")) {
                        continue;
                    }
                    int localPort = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
                    if (localPort == port && f[3].equals("0A")) {
                        inodes.add(Long.parseLong(f[9]));
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + table, e);
            }
        }
        return inodes;
    }

    /** Inodes of listening unix stream sockets bound to the path. */
    public static List<Long> unixListeners(String path) {
        List<Long> inodes = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/net/unix"))) {
                String[] f = line.trim().split("\\s+");
                // Num RefCount Protocol Flags Type St Inode Path; Flags 00010000 = accepting
                if (f.length >= 8 && f[7].equals(path) && f[3].equals("00010000") && f[4].equals("0001")) {
                    inodes.add(Long.parseLong(f[6]));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/net/unix", e);
        }
        return inodes;
    }
}
