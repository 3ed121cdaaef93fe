package io.github.hotdeploy.launcher.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The resource limits start_server runs under, so that a failure caused by one says which and
 * how high it is. Read from /proc/self/limits once at start, while descriptors are still to
 * spare and before any native code is loaded: at the moment of an EMFILE there may be no
 * descriptor left to read it with.
 */
public final class Limits {
    public static final int ENOMEM = 12;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int EFBIG = 27;

    static final String OPEN_FILES = "Max open files";
    static final String FILE_SIZE = "Max file size";
    static final String PROCESSES = "Max processes";

    private static volatile Map<String, String> soft = Map.of();

    private Limits() {
    }

    /** Reads the limits; without /proc the explanations just leave the number out. */
    public static void load() {
        try {
            soft = parse(Files.readAllLines(Path.of("/proc/self/limits")));
        } catch (IOException | RuntimeException e) {
            soft = Map.of();
        }
    }

    /** Soft limits by name ("Max open files" to "1024" or "unlimited"), from /proc/PID/limits' text. */
    static Map<String, String> parse(List<String> lines) {
        Map<String, String> result = new HashMap<>();
        for (String line : lines) {
            // Names are words separated by single spaces; the columns by two or more.
            String[] columns = line.trim().split("\\s{2,}");
            if (columns.length >= 2) {
                result.put(columns[0], columns[1]);
            }
        }
        return result;
    }

    /** The soft open-files limit (ulimit -n), if known. */
    public static OptionalLong openFiles() {
        String value = soft.get(OPEN_FILES);
        try {
            return value == null || value.equals("unlimited") ? OptionalLong.empty()
                    : OptionalLong.of(Long.parseLong(value));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Descriptors start_server needs besides its sockets, measured with every feature on (pid,
     * status and piped log files, readiness sockets, a restart under way): 27 at the peak, the
     * JVM's jars and libraries included. The rest is margin for what the JDK opens on its own.
     */
    public static final int OWN_DESCRIPTORS = 32;

    /** Why the open-files limit is too low for start_server with {@code sockets} sockets, or null. */
    public static String tooFewOpenFiles(int sockets) {
        OptionalLong limit = openFiles();
        long needed = OWN_DESCRIPTORS + (long) sockets;
        if (limit.isPresent() && limit.getAsLong() < needed) {
            return "the open-files limit (ulimit -n) is " + limit.getAsLong() + "; start_server needs at least "
                    + needed + " (" + OWN_DESCRIPTORS + " for itself and one per socket): raise it";
        }
        return null;
    }

    /** What to add to strerror(errno) when a limit is the cause: " (the open-files limit, ulimit -n, is 16)". */
    public static String explain(int errno) {
        return switch (errno) {
            case EMFILE -> " (the open-files limit, ulimit -n, is " + soft.getOrDefault(OPEN_FILES, "reached") + ")";
            case ENFILE -> " (the system-wide limit, sysctl fs.file-max, is reached)";
            case EFBIG -> " (the file-size limit, ulimit -f, is " + soft.getOrDefault(FILE_SIZE, "reached")
                    + (soft.containsKey(FILE_SIZE) && !"unlimited".equals(soft.get(FILE_SIZE)) ? " bytes)" : ")");
            default -> "";
        };
    }

    /** A JDK exception's message with the limit behind it, if one is: the JDK gives strerror's text only. */
    public static String explain(String message) {
        if (message.endsWith("Too many open files")) {
            return message + explain(EMFILE);
        }
        if (message.endsWith("File too large")) {
            return message + explain(EFBIG);
        }
        return message;
    }

    /** The same for a failed fork or thread: the process limit counts threads too. */
    public static String explainProcesses() {
        return " (the process limit, ulimit -u, is " + soft.getOrDefault(PROCESSES, "reached") + ", or memory is short)";
    }

    /**
     * A one-line error for a throwable that a resource limit caused wherever it surfaced (the JVM
     * opening a jar, starting a thread), or null if none did.
     */
    public static String explain(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.contains("Too many open files")) {
                return "too many open files" + explain(EMFILE) + ": raise it";
            }
            if (t instanceof OutOfMemoryError && message != null && message.contains("native thread")) {
                return "cannot create a thread" + explainProcesses();
            }
        }
        return null;
    }
}
