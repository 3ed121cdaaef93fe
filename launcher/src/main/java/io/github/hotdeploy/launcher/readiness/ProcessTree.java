package io.github.hotdeploy.launcher.readiness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Parent links read from /proc, to tell whether a process descends from a generation. */
final class ProcessTree {
    private static final int MAX_DEPTH = 64;

    private ProcessTree() {
    }

    static boolean isDescendant(long pid, long ancestor) {
        long current = pid;
        for (int i = 0; i < MAX_DEPTH && current > 1; i++) {
            current = parentOf(current);
            if (current == ancestor) {
                return true;
            }
        }
        return false;
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
