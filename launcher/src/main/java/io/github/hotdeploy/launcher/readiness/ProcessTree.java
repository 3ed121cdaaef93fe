package io.github.hotdeploy.launcher.readiness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
