package io.github.hotdeploy.agent.drain;

import io.github.hotdeploy.agent.bootstrap.JdkInternals;
import java.io.FileDescriptor;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * What the app's JDK selectors want from each connection, straight from their keys. Unlike
 * epoll's view, a key is exact the moment the app changes it: com.sun.net.httpserver cancels a
 * connection's key before a worker reads the request, Jetty and Tomcat set its interest to 0, and
 * the epoll registration follows only at that selector's next select, which on a busy machine
 * can be long after the worker started writing the response.
 */
final class SelectorKeys {

    /**
     * Interest of the fds registered with JDK selectors. Indexed by fd number (fds are small
     * and dense): no boxed fds in maps on every look.
     */
    static final class Interest {
        private final int[] opsByFd;          // -1: no key
        private final SelectionKey[] keyByFd; // the key the fd was seen with; null when several

        Interest(int[] opsByFd, SelectionKey[] keyByFd) {
            this.opsByFd = opsByFd;
            this.keyByFd = keyByFd;
        }

        /** Whether a JDK selector has this fd at all (else epoll or threads must tell). */
        boolean known(int fd) {
            return fd >= 0 && fd < opsByFd.length && opsByFd[fd] >= 0;
        }

        /** Registered for reading and not for writing, on a valid key. */
        boolean waitingToRead(int fd) {
            return known(fd) && waiting(opsByFd[fd]);
        }
    }

    private final JdkInternals jdk;
    // A key's channel keeps its fd: asked once per key, not on every look (two bridge calls).
    // Not a HashMap: see Drain on what new key types in HashMap cost the app's compiled code.
    private final Map<SelectionKey, Integer> fdByKey = new IdentityHashMap<SelectionKey, Integer>();
    private SelectionKey[] seenKeys = new SelectionKey[64];
    private int[] seenFds = new int[64];

    SelectorKeys(JdkInternals jdk) {
        this.jdk = jdk;
    }

    /** One look at every known selector's keys. */
    Interest look() {
        int count = 0;
        int maxFd = -1;
        for (Selector selector : jdk.selectors()) {
            for (int attempt = 0; attempt < 3; attempt++) {
                int before = count;
                try {
                    for (SelectionKey key : selector.keys()) {
                        int fd = fd(key);
                        if (fd < 0) {
                            continue;
                        }
                        if (count == seenKeys.length) {
                            seenKeys = Arrays.copyOf(seenKeys, count * 2);
                            seenFds = Arrays.copyOf(seenFds, count * 2);
                        }
                        seenKeys[count] = key;
                        seenFds[count++] = fd;
                        maxFd = Math.max(maxFd, fd);
                    }
                    break;
                } catch (ConcurrentModificationException changedMeanwhile) {
                    count = before; // JDK 8's key set is a plain HashSet: look again
                } catch (RuntimeException closed) {
                    count = before;
                    break; // ClosedSelectorException: nothing of it to look at
                }
            }
        }
        int[] ops = new int[maxFd + 1];
        Arrays.fill(ops, -1);
        SelectionKey[] keys = new SelectionKey[maxFd + 1];
        for (int i = 0; i < count; i++) {
            add(ops, keys, seenFds[i], seenKeys[i]);
            seenKeys[i] = null; // not kept alive by us
        }
        return new Interest(ops, keys);
    }

    /**
     * Still registered for reading only, on a valid key: re-checked just before a half-close.
     * Asks the key the look saw (a full look per half-close would make closing n idle
     * connections cost n²); when the app has cancelled it meanwhile, the answer is no, and the
     * next look sees the new key.
     */
    boolean stillWaitingToRead(Interest seen, int fd) {
        SelectionKey key = fd < seen.keyByFd.length ? seen.keyByFd[fd] : null;
        if (key == null) {
            return look().waitingToRead(fd); // several keys: rare enough to look at them all
        }
        try {
            return key.isValid() && waiting(key.interestOps());
        } catch (java.nio.channels.CancelledKeyException cancelledMeanwhile) {
            return false;
        }
    }

    private int fd(SelectionKey key) {
        Integer known = fdByKey.get(key);
        if (known != null) {
            return known;
        }
        FileDescriptor fd = jdk.channelFd(key);
        int number;
        try {
            number = fd == null ? -1 : jdk.fdVal(fd);
        } catch (java.io.IOException e) {
            return -1;
        }
        if (number >= 0) {
            fdByKey.put(key, number);
        }
        return number;
    }

    private static void add(int[] ops, SelectionKey[] keys, int fd, SelectionKey key) {
        int interest;
        try {
            interest = key.isValid() ? key.interestOps() : 0;
        } catch (java.nio.channels.CancelledKeyException cancelledMeanwhile) {
            interest = 0;
        }
        // One fd in several selectors, or a cancelled key not yet dropped beside a new one: it
        // counts as waiting to read only if every key says so.
        if (ops[fd] < 0) {
            ops[fd] = interest;
            keys[fd] = key;
        } else {
            keys[fd] = null;
            if (!waiting(ops[fd]) || !waiting(interest)) {
                ops[fd] = 0;
            }
        }
    }

    private static boolean waiting(int ops) {
        return (ops & SelectionKey.OP_READ) != 0 && (ops & SelectionKey.OP_WRITE) == 0;
    }
}
