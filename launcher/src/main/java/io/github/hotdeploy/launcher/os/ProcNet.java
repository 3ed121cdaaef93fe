package io.github.hotdeploy.launcher.os;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Who listens on a TCP port, from /proc: the listening sockets of /proc/net/tcp and tcp6, and
 * the processes that hold a socket inode. Read only to explain a failure (the kernel prints those
 * tables by walking its whole connection hash, milliseconds on a big machine), never on a timer.
 */
public final class ProcNet {

    private static final String LISTEN = "0A";

    /** A listening TCP socket. */
    public record Listener(InetAddress address, int port, long inode) {
        /** True if a bind to {@code other:port} would conflict with this socket. */
        public boolean conflictsWith(InetAddress other, int otherPort) {
            return port == otherPort
                    && (address.isAnyLocalAddress() || other.isAnyLocalAddress() || sameHost(address, other));
        }

        private static boolean sameHost(InetAddress a, InetAddress b) {
            return java.util.Arrays.equals(v4Mapped(a), v4Mapped(b));
        }
    }

    private ProcNet() {
    }

    public static List<Listener> tcpListeners() {
        List<Listener> listeners = new ArrayList<>();
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            try {
                listeners.addAll(parse(Files.readString(Path.of(table), StandardCharsets.US_ASCII)));
            } catch (IOException | RuntimeException e) {
                // no such table (IPv6 off): nothing listens there
            }
        }
        return listeners;
    }

    /** The listening sockets of one /proc/net/tcp or tcp6 text. */
    static List<Listener> parse(String table) {
        List<Listener> listeners = new ArrayList<>();
        for (String line : table.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 10 || !fields[0].endsWith(":") || !LISTEN.equals(fields[3])) {
                continue;
            }
            String local = fields[1];
            int colon = local.indexOf(':');
            try {
                InetAddress address = InetAddress.getByAddress(hexAddress(local.substring(0, colon)));
                int port = Integer.parseInt(local.substring(colon + 1), 16);
                listeners.add(new Listener(address, port, Long.parseLong(fields[9])));
            } catch (UnknownHostException | RuntimeException malformed) {
                // skip the line
            }
        }
        return listeners;
    }

    /** The kernel prints each 32-bit word of the address in host (little-endian) order. */
    private static byte[] hexAddress(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int at = (word * 4 + (3 - i)) * 2;
                bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        return bytes;
    }

    private static byte[] v4Mapped(InetAddress address) {
        byte[] raw = address.getAddress();
        if (raw.length == 4) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(raw, 0, mapped, 12, 4);
            return mapped;
        }
        return raw;
    }

    /** The processes that have the socket with this inode open. */
    public static List<Long> holders(long inode) {
        String link = "socket:[" + inode + "]";
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
                    for (Path fd : fds) {
                        if (link.equals(Files.readSymbolicLink(fd).toString())) {
                            pids.add(Long.parseLong(process.getFileName().toString()));
                            break;
                        }
                    }
                } catch (IOException | RuntimeException gone) {
                    // exited meanwhile, or not ours to read
                }
            }
        } catch (IOException e) {
            // no /proc: nobody to name
        }
        return pids;
    }

    /** The command line of a process, arguments joined by spaces, or its pid if it cannot be read. */
    public static String commandLine(long pid) {
        try {
            String raw = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ').trim();
            return raw.length() > 120 ? raw.substring(0, 117) + "..." : raw;
        } catch (IOException e) {
            return "pid " + pid;
        }
    }
}
