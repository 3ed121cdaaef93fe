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

    /** Fds an epoll set of this process watches for input (and not for output). */
    Set<Integer> epollReaders() {
        Set<Integer> fds = new HashSet<Integer>();
        for (String name : listEpollFds()) {
            epollReaders(Integer.parseInt(name), fds);
        }
        return fds;
    }

    /**
     * The same, for epoll fds already known (a scan of /proc/self/fd found them), sorted for
     * {@link java.util.Arrays#binarySearch(int[], int)}: no boxed fds on every look.
     */
    int[] epollReaders(int[] epollFds) {
        Readers fds = new Readers();
        for (int epollFd : epollFds) {
            readers(fdinfo, readFully("/proc/self/fdinfo/" + epollFd), fds);
        }
        int[] sorted = java.util.Arrays.copyOf(fds.fds, fds.count);
        java.util.Arrays.sort(sorted);
        return sorted;
    }

    /** Where {@link #readers} puts the fds it finds. */
    static class Readers {
        int[] fds = new int[64];
        int count;

        void add(int fd) {
            if (count == fds.length) {
                fds = java.util.Arrays.copyOf(fds, count * 2);
            }
            fds[count++] = fd;
        }
    }

    /** Fds a thread of this process is blocked reading at this instant. */
    Set<Integer> blockedReaders() {
        Set<Integer> fds = new HashSet<Integer>();
        blockedReaders(fds);
        return fds;
    }

    private byte[] fdinfo = new byte[16 * 1024];

    private void epollReaders(int epollFd, final Set<Integer> out) {
        readers(fdinfo, readFully("/proc/self/fdinfo/" + epollFd), new Readers() {
            @Override
            void add(int fd) {
                out.add(fd);
            }
        });
    }

    /**
     * The fds an epoll fd's fdinfo shows watched for input and not output: "tfd:       12
     * events:       19 data: ..." per registered fd (a closed or reused epoll fd number simply
     * has no such lines). Parsed in place: a selector may watch thousands of fds, and this runs
     * on every look that needs it.
     */
    static void readers(byte[] b, int length, Readers out) {
        long[] number = new long[1];
        for (int i = 0; i < length; ) {
            int lineEnd = i;
            while (lineEnd < length && b[lineEnd] != '\n') {
                lineEnd++;
            }
            if (startsWith(b, i, lineEnd, TFD)) {
                int at = parseNumber(b, i + TFD.length, lineEnd, 10, number);
                long fd = number[0];
                at = at < 0 ? -1 : indexOf(b, at, lineEnd, EVENTS);
                at = at < 0 ? -1 : parseNumber(b, at + EVENTS.length, lineEnd, 16, number);
                // Waiting for room to write means a response is still on its way out.
                if (at >= 0 && (number[0] & EPOLLIN) != 0 && (number[0] & EPOLLOUT) == 0) {
                    out.add((int) fd);
                }
            }
            i = lineEnd + 1;
        }
    }

    private static final byte[] TFD = {'t', 'f', 'd', ':'};
    private static final byte[] EVENTS = {'e', 'v', 'e', 'n', 't', 's', ':'};

    private static boolean startsWith(byte[] b, int from, int end, byte[] prefix) {
        if (end - from < prefix.length) {
            return false;
        }
        for (int k = 0; k < prefix.length; k++) {
            if (b[from + k] != prefix[k]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] b, int from, int end, byte[] word) {
        for (int i = from; i + word.length <= end; i++) {
            if (startsWith(b, i, end, word)) {
                return i;
            }
        }
        return -1;
    }

    /** Skips spaces, parses digits into out[0]; the index after them, or -1 when there are none. */
    static int parseNumber(byte[] b, int i, int end, int radix, long[] out) {
        while (i < end && b[i] == ' ') {
            i++;
        }
        long value = 0;
        int start = i;
        for (; i < end; i++) {
            int digit = Character.digit(b[i], radix);
            if (digit < 0) {
                break;
            }
            value = value * radix + digit;
        }
        out[0] = value;
        return i == start ? -1 : i;
    }

    /** Reads a /proc file into {@link #fdinfo} (grown as needed); its length, 0 when unreadable. */
    private int readFully(String path) {
        try {
            FileInputStream in = new FileInputStream(path);
            try {
                int length = 0;
                for (int n; (n = in.read(fdinfo, length, fdinfo.length - length)) > 0; ) {
                    length += n;
                    if (length == fdinfo.length) {
                        fdinfo = java.util.Arrays.copyOf(fdinfo, fdinfo.length * 2);
                    }
                }
                return length;
            } finally {
                in.close();
            }
        } catch (IOException gone) {
            return 0; // the fd went away meanwhile
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
                long[] call = Syscalls.blockedIn(task);
                if (call == null) {
                    continue;
                }
                try {
                    long nr = call[0];
                    if (nr == Syscalls.READ || nr == Syscalls.RECVFROM) {
                        out.add((int) call[1]);
                    } else if ((nr == Syscalls.POLL || nr == Syscalls.PPOLL) && call[2] == 1) {
                        // One struct pollfd, whose first member is the fd.
                        if (memory == null) {
                            memory = new RandomAccessFile("/proc/self/mem", "r");
                        }
                        memory.seek(call[1]);
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

    /** A small /proc file's lines; none when it went away meanwhile (a closed fd, an ended thread). */
    static java.util.List<String> lines(String path) {
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
            // the fd or thread went away meanwhile: nothing to report
        }
        return lines;
    }
}
