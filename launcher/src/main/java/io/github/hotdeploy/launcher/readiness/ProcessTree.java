package io.github.hotdeploy.launcher.readiness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Parent links read from /proc, to tell whether a process descends from a generation. */
public final class ProcessTree {
    private static final int MAX_DEPTH = 64;

    private ProcessTree() {
    }

    public static boolean isDescendant(long pid, long ancestor) {
        long current = pid;
        for (int i = 0; i < MAX_DEPTH && current > 1; i++) {
            current = parentOf(current);
            if (current == ancestor) {
                return true;
            }
        }
        return false;
    }

    /** Alive and not a zombie (a zombie's parent has not collected it yet, but it runs no more). */
    public static boolean isAlive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * A live JVM in the process tree of {@code worker} (the worker itself or a descendant) that was
     * given {@code agentJar} in JAVA_TOOL_OPTIONS and so runs it once started: its agent may not
     * have said so yet (a JVM on a loaded machine can take more than a second to reach the
     * agent). A JVM is a process with the JDK's libjvm.so mapped: the java launcher, or a program
     * that creates its JVM through JNI (jsvc). Read from /proc, only while a generation starts.
     */
    public static OptionalLong jvmGivenAgent(long worker, Path agentJar) {
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                long pid = Long.parseLong(process.getFileName().toString());
                if ((pid == worker || isDescendant(pid, worker)) && isAlive(pid)
                        && givenAgent(read(process.resolve("environ")), agentJar.toString())
                        && isJvm(read(process.resolve("maps")))) {
                    return OptionalLong.of(pid);
                }
            }
        } catch (IOException | RuntimeException e) {
            // cannot tell: wait for the agent's own report
        }
        return OptionalLong.empty();
    }

    /** Whether a NUL-separated environ gives the JVM this agent in JAVA_TOOL_OPTIONS. */
    static boolean givenAgent(String environ, String agentJar) {
        for (String entry : environ.split("\0")) {
            if (entry.startsWith("JAVA_TOOL_OPTIONS=") && entry.contains("-javaagent:" + agentJar)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a /proc/PID/maps text maps the JDK's libjvm.so. */
    static boolean isJvm(String maps) {
        return maps.contains("/libjvm.so\n") || maps.endsWith("/libjvm.so");
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static long parentOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // "pid (comm) state ppid ...": comm may contain spaces and parentheses, so cut at the last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
