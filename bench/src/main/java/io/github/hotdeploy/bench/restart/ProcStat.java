package io.github.hotdeploy.bench.restart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time of a process from /proc/PID/stat (Linux). */
final class ProcStat {

    /** USER_HZ: 100 on every Linux this runs on; fixed by the kernel ABI for /proc. */
    static final double MS_PER_TICK = 10.0;

    private ProcStat() {
    }

    /** utime+stime in milliseconds, or -1 once the process is gone. */
    static double cpuMs(long pid) {
        try {
            return cpuMsOf(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The command name (a thread's name, for /proc/PID/task/TID/stat), from between the parentheses. */
    static String nameOf(String stat) {
        return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    }

    /**
     * The second field (the command name) is in parentheses and may itself hold spaces and
     * parentheses, so fields are counted from the last ')'.
     */
    static double cpuMsOf(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/PID/stat line: " + stat);
        }
        String[] f = stat.substring(close + 1).trim().split("\\s+");
        // f[0] is field 3 (state); utime and stime are fields 14 and 15.
        long utime = Long.parseLong(f[11]);
        long stime = Long.parseLong(f[12]);
        return (utime + stime) * MS_PER_TICK;
    }
}
