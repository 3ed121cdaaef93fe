package io.github.hotdeploy.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the kernel says about sockets and processes, read from /proc: the only ground truth for
 * "the app serves on start_server's socket" (same socket inode), which no log line can prove.
 */
public final class ProcFs {

    private static final Pattern SOCKET_LINK = Pattern.compile("socket:\\[(\\d+)]");
    private static final String TCP_LISTEN = "0A";
    private static final String UNIX_ACCEPTCON = "00010000";

    private ProcFs() {
    }

    /**
     * Inodes of every listening TCP socket (IPv4 or IPv6, any address) on this port. Anything but
     * exactly one means someone bound a socket of their own next to start_server's.
     */
    public static List<Long> listeningTcpInodes(int port) throws IOException {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        List<Long> inodes = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                if (f[1].endsWith(hexPort) && f[3].equals(TCP_LISTEN)) {
                    inodes.add(Long.parseLong(f[9]));
                }
            }
        }
        return inodes;
    }

    /** Inodes of listening unix stream sockets bound to this path. */
    public static List<Long> listeningUnixInodes(Path path) throws IOException {
        List<Long> inodes = new ArrayList<>();
        List<String> lines = Files.readAllLines(Path.of("/proc/net/unix"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.trim().split("\\s+");
            // Num RefCount Protocol Flags Type St Inode Path
            if (f.length >= 8 && f[3].equals(UNIX_ACCEPTCON) && f[7].equals(path.toString())) {
                inodes.add(Long.parseLong(f[6]));
            }
        }
        return inodes;
    }

    public static List<Long> listeningInodes(Listen listen) throws IOException {
        return listen.isUnix() ? listeningUnixInodes(listen.path()) : listeningTcpInodes(listen.port());
    }

    /** fd number to socket inode, for every socket the process holds. */
    public static Map<Integer, Long> socketFds(long pid) throws IOException {
        Map<Integer, Long> sockets = new LinkedHashMap<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (NoSuchFileException e) {
                    continue; // closed while we listed
                }
                Matcher m = SOCKET_LINK.matcher(target);
                if (m.matches()) {
                    sockets.put(Integer.parseInt(fd.getFileName().toString()), Long.parseLong(m.group(1)));
                }
            }
        }
        return sockets;
    }

    /** The fd start_server announced for this address in the process's SERVER_STARTER_PORT. */
    public static OptionalInt inheritedFd(long pid, Listen listen) throws IOException {
        String ports = environment(pid).get("SERVER_STARTER_PORT");
        if (ports == null) {
            return OptionalInt.empty();
        }
        for (String entry : ports.split(";")) {
            int eq = entry.lastIndexOf('=');
            if (eq > 0 && entry.substring(0, eq).equals(listen.key())) {
                return OptionalInt.of(Integer.parseInt(entry.substring(eq + 1)));
            }
        }
        return OptionalInt.empty();
    }

    public static Map<String, String> environment(long pid) throws IOException {
        byte[] raw = Files.readAllBytes(Path.of("/proc/" + pid + "/environ"));
        Map<String, String> env = new LinkedHashMap<>();
        for (String entry : new String(raw, StandardCharsets.UTF_8).split("\0")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                env.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return env;
    }

    /** The executable the process runs, symlinks resolved (a JDK's bin/java). */
    public static Path executable(long pid) throws IOException {
        return Path.of("/proc/" + pid + "/exe").toRealPath();
    }

    /**
     * Whether the process runs a JVM of this JDK: its java launcher, or the JDK's libjvm.so
     * mapped into another executable (jsvc creates its JVM through JNI).
     */
    public static boolean runsJvmOf(long pid, Path jdkHome) throws IOException {
        Path home = jdkHome.toRealPath();
        if (executable(pid).startsWith(home)) {
            return true;
        }
        String libjvm = home.resolve("lib/server/libjvm.so").toString();
        try (java.util.stream.Stream<String> maps = Files.lines(Path.of("/proc/" + pid + "/maps"))) {
            return maps.anyMatch(line -> line.endsWith(libjvm));
        }
    }

    /**
     * Whether the pid still names a process, zombies included: a generation counts as gone only
     * once start_server has reaped it.
     */
    public static boolean exists(long pid) {
        return Files.exists(Path.of("/proc/" + pid));
    }
}
