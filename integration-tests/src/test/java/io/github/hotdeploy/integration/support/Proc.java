package io.github.hotdeploy.integration.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/** What /proc says about another process of ours: CPU time, and the connections it holds. */
public final class Proc {

    /** USER_HZ: the unit of utime and stime in /proc/PID/stat; 100 on every Linux build here. */
    public static final double TICKS_PER_SECOND = 100.0;

    private Proc() {
    }

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
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        // The command name (field 2) may contain spaces: count fields after its closing paren.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long utime = Long.parseLong(f[11]);
        long stime = Long.parseLong(f[12]);
        return (utime + stime) / TICKS_PER_SECOND;
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
        Set<String> inodes = socketInodes(pid);
        for (String table : new String[] {"tcp", "tcp6"}) {
            Path path = Path.of("/proc/" + pid + "/net/" + table);
            if (!Files.exists(path)) {
                continue;
            }
            List<String> lines = Files.readAllLines(path);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 10 || !inodes.contains(f[9])) {
                    continue;
                }
                int local = Integer.parseInt(f[1].substring(f[1].lastIndexOf(':') + 1), 16);
                int remote = Integer.parseInt(f[2].substring(f[2].lastIndexOf(':') + 1), 16);
                long unread = Long.parseLong(f[4].substring(f[4].indexOf(':') + 1), 16);
                if (local == serverPort && remote == clientPort && unread == 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /** How many established connections to local port {@code serverPort} {@code pid} holds. */
    public static int connectionsHeld(long pid, int serverPort) throws IOException {
        Set<String> inodes = socketInodes(pid);
        int count = 0;
        for (String table : new String[] {"tcp", "tcp6"}) {
            Path path = Path.of("/proc/" + pid + "/net/" + table);
            if (!Files.exists(path)) {
                continue;
            }
            List<String> lines = Files.readAllLines(path);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 10 && inodes.contains(f[9]) && f[3].equals("01")
                        && Integer.parseInt(f[1].substring(f[1].lastIndexOf(':') + 1), 16) == serverPort) {
                    count++;
                }
            }
        }
        return count;
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
