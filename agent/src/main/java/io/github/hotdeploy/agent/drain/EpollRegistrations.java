package io.github.hotdeploy.agent.drain;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * Where an fd is registered in this process's epoll sets, whoever owns them (the JDK's selectors
 * and its EPollPort, Netty's native transport), read from {@code /proc/self/fdinfo/EPFD}: one line
 * {@code tfd: FD events: HEX data: HEX pos:0 ino:HEX sdev:HEX} per registration. Only a
 * registration whose target is still the same socket (inode) counts: epoll keys registrations by
 * open file and fd number, so one left behind by a file that fd number no longer names is not ours
 * to touch.
 */
final class EpollRegistrations {

    static final int EPOLLIN = 0x1;
    /** EPollPort (AsynchronousServerSocketChannel) arms every poll this way and re-arms per accept. */
    static final int EPOLLONESHOT = 1 << 30;

    /** One registration of {@code fd} in the epoll set {@code epfd}. */
    static final class Registration {
        final int epfd;
        final int fd;
        final long inode;
        final int events;

        Registration(int epfd, int fd, long inode, int events) {
            this.epfd = epfd;
            this.fd = fd;
            this.inode = inode;
            this.events = events;
        }

        boolean oneShot() {
            return (events & EPOLLONESHOT) != 0;
        }

        boolean armedForInput() {
            return (events & EPOLLIN) != 0;
        }

        @Override
        public String toString() {
            return "epoll fd " + epfd + " events 0x" + Integer.toHexString(events);
        }
    }

    private EpollRegistrations() {
    }

    /** Every registration of {@code fd}, while it names the socket {@code inode}, in this process. */
    static List<Registration> of(int fd, long inode) {
        List<Registration> found = new ArrayList<Registration>();
        String[] names = new File("/proc/self/fd").list();
        if (names == null) {
            return found;
        }
        for (String name : names) {
            int epfd;
            try {
                epfd = Integer.parseInt(name);
            } catch (NumberFormatException notAnFd) {
                continue;
            }
            Registration r = in(epfd, fd, inode);
            if (r != null) {
                found.add(r);
            }
        }
        return found;
    }

    /** The registration of {@code fd} (socket {@code inode}) in the epoll set {@code epfd}, or null. */
    static Registration in(int epfd, int fd, long inode) {
        if (!"anon_inode:[eventpoll]".equals(ReadWaits.readLink("/proc/self/fd/" + epfd))) {
            return null;
        }
        return parse(epfd, ReadWaits.lines("/proc/self/fdinfo/" + epfd), fd, inode);
    }

    /** From the lines of an epoll fd's fdinfo; null when {@code fd} (as {@code inode}) is not there. */
    static Registration parse(int epfd, List<String> fdinfo, int fd, long inode) {
        for (String line : fdinfo) {
            if (!line.startsWith("tfd:")) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            try {
                if (f.length < 4 || Integer.parseInt(f[1]) != fd) {
                    continue;
                }
                long ino = -1;
                for (String field : f) {
                    if (field.startsWith("ino:")) {
                        ino = Long.parseLong(field.substring(4), 16);
                    }
                }
                if (ino != inode) {
                    continue; // left behind by a file this number no longer names
                }
                // %x of a u32: EPOLLET (bit 31) does not fit a signed int's parser
                return new Registration(epfd, fd, ino, (int) Long.parseLong(f[3], 16));
            } catch (RuntimeException malformed) {
                // skip the line
            }
        }
        return null;
    }

    /** The inode of the socket {@code fd} names, or -1. */
    static long socketInode(int fd) {
        String link = ReadWaits.readLink("/proc/self/fd/" + fd);
        if (link == null || !link.startsWith("socket:[") || !link.endsWith("]")) {
            return -1;
        }
        try {
            return Long.parseLong(link.substring("socket:[".length(), link.length() - 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
