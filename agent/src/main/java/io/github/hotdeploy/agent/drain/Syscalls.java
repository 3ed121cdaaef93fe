package io.github.hotdeploy.agent.drain;

/**
 * What a thread of this process is blocked in, from /proc/self/task/TID/syscall, and the numbers of
 * the few system calls the drain looks for, by architecture. On an unknown architecture every
 * number is {@link #UNKNOWN}, which no blocked thread shows: nothing is found.
 */
final class Syscalls {

    static final int UNKNOWN = -2;

    static final int READ;
    static final int RECVFROM;
    static final int POLL; // -1 where the architecture has none (arm64)
    static final int PPOLL;
    static final int ACCEPT;
    static final int ACCEPT4;

    static {
        String arch = System.getProperty("os.arch", "");
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            READ = 0;
            RECVFROM = 45;
            POLL = 7;
            PPOLL = 271;
            ACCEPT = 43;
            ACCEPT4 = 288;
        } else if (arch.equals("aarch64") || arch.equals("riscv64")) {
            READ = 63;
            RECVFROM = 207;
            POLL = -1;
            PPOLL = 73;
            ACCEPT = 202;
            ACCEPT4 = 242;
        } else {
            READ = UNKNOWN;
            RECVFROM = UNKNOWN;
            POLL = UNKNOWN;
            PPOLL = UNKNOWN;
            ACCEPT = UNKNOWN;
            ACCEPT4 = UNKNOWN;
        }
    }

    private Syscalls() {
    }

    /**
     * The system call number and its first two arguments while the thread is blocked in one, or
     * null: it is running, not in a system call, or gone. The file reads "nr arg1 arg2 ...",
     * "running", or "-1 sp pc".
     */
    static long[] blockedIn(String task) {
        return parse(line(task));
    }

    /** The first line of the thread's syscall file, or null once it has ended. */
    static String line(String task) {
        for (String line : ReadWaits.lines("/proc/self/task/" + task + "/syscall")) {
            return line;
        }
        return null;
    }

    /**
     * Whether the line says the thread is runnable: on a CPU or waiting for one. A thread the kernel
     * has just woken in a system call reads so until it has run, not as blocked in that call.
     */
    static boolean running(String line) {
        return "running".equals(line);
    }

    /** {@link #blockedIn} of a line already read. */
    static long[] parse(String line) {
        if (line == null) {
            return null;
        }
        String[] f = line.split(" ");
        if (f.length < 3) {
            return null;
        }
        try {
            long nr = Integer.parseInt(f[0]);
            return nr < 0 ? null : new long[] {nr, Long.decode(f[1]), Long.decode(f[2])};
        } catch (NumberFormatException notBlocked) {
            return null;
        }
    }
}
