package io.github.hotdeploy.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * What the kernel says about sockets and processes, read from /proc: the only ground truth for
 * "the app serves on start_server's socket" (same socket inode), which no log line can prove,
 * and a process's CPU time and the connections it holds, which the drain tests measure.
 */
public final class ProcFs {

    private static final Pattern SOCKET_LINK = Pattern.compile("socket:\\[(\\d+)]");
    private static final String TCP_LISTEN = "0A";
    private static final String UNIX_ACCEPTCON = "00010000";
    private static final String UNIX_STREAM = "0001";

    /** USER_HZ: the unit of utime and stime in /proc/PID/stat; 100 on every Linux build here. */
    public static final double TICKS_PER_SECOND = 100.0;

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
            if (f.length >= 8 && f[3].equals(UNIX_ACCEPTCON) && f[4].equals(UNIX_STREAM) && f[7].equals(path.toString())) {
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

    // Process state (the launcher's tests: reaping, zombies, a write blocked on a full pipe).

    /** The state letter of /proc/PID/stat (R, S, Z, ...), empty once the pid is gone. */
    public static Optional<Character> state(long pid) {
        return stat(pid).map(fields -> fields.get(0).charAt(0));
    }

    public static Optional<Long> parent(long pid) {
        return stat(pid).map(fields -> Long.parseLong(fields.get(1)));
    }

    /** Fields of /proc/PID/stat after the command name: state, ppid, pgrp, session, ... */
    private static Optional<List<String>> stat(long pid) {
        try {
            String text = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name is in parentheses and may itself hold spaces or parentheses.
            String rest = text.substring(text.lastIndexOf(')') + 2).trim();
            return Optional.of(List.of(rest.split(" ")));
        } catch (IOException | RuntimeException gone) {
            return Optional.empty();
        }
    }

    /** Children of {@code pid} that are zombies: exited, never reaped. */
    public static List<Long> zombieChildren(long pid) {
        List<Long> zombies = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            entries.map(p -> p.getFileName().toString())
                    .filter(name -> name.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong)
                    .forEach(candidate -> {
                        Optional<List<String>> fields = stat(candidate);
                        if (fields.isPresent() && fields.get().get(0).equals("Z")
                                && fields.get().get(1).equals(Long.toString(pid))) {
                            zombies.add(candidate);
                        }
                    });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return zombies;
    }

    /** True while the process waits in a write to a full pipe. */
    public static boolean blockedWriting(long pid) {
        try {
            String wchan = Files.readString(Path.of("/proc", Long.toString(pid), "wchan"));
            if (wchan.contains("pipe_write")) {
                return true;
            }
            // Without kernel symbols wchan says 0: the syscall under way then tells (write is 1 on x86_64, 64 on arm64).
            String syscall = Files.readString(Path.of("/proc", Long.toString(pid), "syscall")).split(" ")[0];
            return syscall.equals(System.getProperty("os.arch").equals("aarch64") ? "64" : "1");
        } catch (IOException | RuntimeException gone) {
            return false;
        }
    }

    public static boolean alive(long pid) {
        // A zombie has exited: it counts as gone for every question the tests ask.
        return state(pid).map(s -> s != 'Z').orElse(false);
    }

    // CPU time and the connections a process holds (the drain tests).

    /**
     * Samples the process's CPU time every 250 ms until some window of at least {@code seconds}
     * used at most 0.1 s of CPU per second, for at most {@code atMost}; returns {cpu seconds, wall
     * seconds} of that window. A drain's first moments (class loading, JIT) may cost more; a drain
     * that keeps costing more never passes.
     */
    public static double[] awaitQuietWindow(long pid, double seconds, Duration atMost) {
        List<double[]> samples = new ArrayList<>();
        double[] window = new double[2];
        Awaitility.await("a " + (int) seconds + " s window with at most 0.1 s CPU per second")
                .atMost(atMost).pollInterval(Duration.ofMillis(250)).until(() -> {
                    samples.add(new double[] {System.nanoTime() / 1e9, cpuSeconds(pid)});
                    double[] last = samples.get(samples.size() - 1);
                    for (double[] earlier : samples) {
                        if (last[0] - earlier[0] < seconds) {
                            break;
                        }
                        window[0] = last[1] - earlier[1];
                        window[1] = last[0] - earlier[0];
                    }
                    return window[1] >= seconds && window[0] <= 0.1 * window[1];
                });
        return window;
    }

    /** utime + stime of the process, in seconds. */
    public static double cpuSeconds(long pid) throws IOException {
        List<String> f = stat(pid).orElseThrow(() -> new NoSuchFileException("/proc/" + pid + "/stat"));
        return (Long.parseLong(f.get(11)) + Long.parseLong(f.get(12))) / TICKS_PER_SECOND;
    }

    /**
     * utime + stime of the thread of {@code pid} named {@code name}, in seconds; -1 when there is
     * no such thread (not yet, or no longer).
     */
    public static double threadCpuSeconds(long pid, String name) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                if (stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).equals(name)) {
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the process is gone
        }
        return -1;
    }

    /**
     * True when {@code pid} holds the server side of the connection from {@code clientPort} to
     * {@code serverPort}, and has read everything that arrived on it (the request is in its hands).
     */
    public static boolean holdsWithNothingUnread(long pid, int serverPort, int clientPort) throws IOException {
        for (String[] f : tcpRowsHeldBy(pid)) {
            long unread = Long.parseLong(f[4].substring(f[4].indexOf(':') + 1), 16);
            if (port(f[1]) == serverPort && port(f[2]) == clientPort && unread == 0) {
                return true;
            }
        }
        return false;
    }

    /** How many established connections to local port {@code serverPort} {@code pid} holds. */
    public static int connectionsHeld(long pid, int serverPort) throws IOException {
        int count = 0;
        for (String[] f : tcpRowsHeldBy(pid)) {
            if (f[3].equals("01") && port(f[1]) == serverPort) {
                count++;
            }
        }
        return count;
    }

    /** The rows of {@code pid}'s /proc/PID/net/tcp and tcp6 for the sockets it holds, split in fields. */
    private static List<String[]> tcpRowsHeldBy(long pid) throws IOException {
        Set<String> inodes = socketInodes(pid);
        List<String[]> rows = new ArrayList<>();
        for (String table : new String[] {"tcp", "tcp6"}) {
            Path path = Path.of("/proc/" + pid + "/net/" + table);
            if (!Files.exists(path)) {
                continue;
            }
            List<String> lines = Files.readAllLines(path);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 10 && inodes.contains(f[9])) {
                    rows.add(f);
                }
            }
        }
        return rows;
    }

    /** The port of an ADDRESS:PORT field of /proc/net/tcp, in hex. */
    private static int port(String field) {
        return Integer.parseInt(field.substring(field.lastIndexOf(':') + 1), 16);
    }

    private static Set<String> socketInodes(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            fds.forEach(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException gone) {
                    // closed meanwhile
                }
            });
        }
        return inodes;
    }
}
