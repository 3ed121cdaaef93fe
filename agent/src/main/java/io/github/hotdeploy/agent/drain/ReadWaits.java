package io.github.hotdeploy.agent.drain;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.Set;

/**
 * The fds on which the app is waiting for input right now, whatever the server: those an epoll
 * set of this process watches for EPOLLIN (every NIO selector, Netty's epoll transport), and those
 * a thread is blocked reading in read(2), recvfrom(2), or poll(2)/ppoll(2) on a single fd (thread
 * per connection servers, JDK blocking sockets with a timeout). Read from /proc, so the server's
 * threads are neither stopped nor instrumented to find out.
 */
final class ReadWaits {

    private static final int EPOLLIN = 0x1;
    private static final int EPOLLOUT = 0x4;
    private static final long EPOLL_RELIST_NANOS = 1000000000L;

    // Syscall numbers by architecture; an unknown architecture just sees no blocked readers.
    private final int sysRead;
    private final int sysRecvfrom;
    private final int sysPoll;   // -1 where the architecture has none (arm64)
    private final int sysPpoll;

    ReadWaits() {
        String arch = System.getProperty("os.arch", "");
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            sysRead = 0;
            sysRecvfrom = 45;
            sysPoll = 7;
            sysPpoll = 271;
        } else if (arch.equals("aarch64") || arch.equals("riscv64")) {
            sysRead = 63;
            sysRecvfrom = 207;
            sysPoll = -1;
            sysPpoll = 73;
        } else {
            sysRead = -2;
            sysRecvfrom = -2;
            sysPoll = -2;
            sysPpoll = -2;
        }
    }

    /** Fds an epoll set of this process watches for input (and not for output). */
    Set<Integer> epollReaders() {
        Set<Integer> fds = new HashSet<Integer>();
        epollReaders(fds);
        return fds;
    }

    /** Fds a thread of this process is blocked reading at this instant. */
    Set<Integer> blockedReaders() {
        Set<Integer> fds = new HashSet<Integer>();
        blockedReaders(fds);
        return fds;
    }

    // Selectors are created at start-up and live as long as the server: listing every fd to find
    // them on each look would cost more than the look itself, so the list is renewed only now and then.
    private String[] epollFds;
    private long epollFdsListedAt;

    private void epollReaders(Set<Integer> out) {
        long now = System.nanoTime();
        if (epollFds == null || now - epollFdsListedAt > EPOLL_RELIST_NANOS) {
            epollFds = listEpollFds();
            epollFdsListedAt = now;
        }
        for (String name : epollFds) {
            // "tfd:       12 events:       19 data: ..." per registered fd; a closed or reused
            // number simply has no such lines
            for (String line : lines("/proc/self/fdinfo/" + name)) {
                if (!line.startsWith("tfd:")) {
                    continue;
                }
                String[] f = line.trim().split("\\s+");
                try {
                    int fd = Integer.parseInt(f[1]);
                    int events = (int) Long.parseLong(f[3], 16); // u32: EPOLLET (Netty 4.1) is bit 31
                    // Waiting for room to write means a response is still on its way out.
                    if ((events & EPOLLIN) != 0 && (events & EPOLLOUT) == 0) {
                        out.add(fd);
                    }
                } catch (RuntimeException malformed) {
                    // skip the line
                }
            }
        }
    }

    private static String[] listEpollFds() {
        java.util.List<String> found = new java.util.ArrayList<String>();
        String[] names = new File("/proc/self/fd").list();
        if (names != null) {
            for (String name : names) {
                if ("anon_inode:[eventpoll]".equals(readLink("/proc/self/fd/" + name))) {
                    found.add(name);
                }
            }
        }
        return found.toArray(new String[0]);
    }

    private void blockedReaders(Set<Integer> out) {
        String[] tasks = new File("/proc/self/task").list();
        if (tasks == null) {
            return;
        }
        RandomAccessFile memory = null;
        try {
            for (String task : tasks) {
                // "nr arg1 arg2 ..." while blocked in a syscall, "running" or "-1 ..." otherwise
                String[] f = firstLine("/proc/self/task/" + task + "/syscall").split(" ");
                if (f.length < 3) {
                    continue;
                }
                try {
                    int nr = Integer.parseInt(f[0]);
                    if (nr == sysRead || nr == sysRecvfrom) {
                        out.add((int) Long.decode(f[1]).longValue());
                    } else if ((nr == sysPoll || nr == sysPpoll) && Long.decode(f[2]) == 1) {
                        // One struct pollfd, whose first member is the fd.
                        if (memory == null) {
                            memory = new RandomAccessFile("/proc/self/mem", "r");
                        }
                        memory.seek(Long.decode(f[1]));
                        int fd = Integer.reverseBytes(memory.readInt()); // little-endian targets only
                        short events = Short.reverseBytes(memory.readShort());
                        if ((events & 0x1) != 0) { // POLLIN
                            out.add(fd);
                        }
                    }
                } catch (IOException | RuntimeException unreadable) {
                    // the thread moved on, or memory cannot be read: not a waiting reader then
                }
            }
        } finally {
            if (memory != null) {
                try {
                    memory.close();
                } catch (IOException ignored) {
                    // read-only
                }
            }
        }
    }

    static String readLink(String path) {
        try {
            return Files.readSymbolicLink(Paths.get(path)).toString();
        } catch (IOException | RuntimeException gone) {
            return null;
        }
    }

    private static String firstLine(String path) {
        for (String line : lines(path)) {
            return line;
        }
        return "";
    }

    private static Iterable<String> lines(String path) {
        java.util.List<String> lines = new java.util.ArrayList<String>();
        try {
            BufferedReader reader = new BufferedReader(new InputStreamReader(new FileInputStream(path),
                    StandardCharsets.US_ASCII));
            try {
                for (String line; (line = reader.readLine()) != null; ) {
                    lines.add(line);
                }
            } finally {
                reader.close();
            }
        } catch (IOException gone) {
            // the fd or thread went away meanwhile
        }
        return lines;
    }
}
