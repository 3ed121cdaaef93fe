package io.github.hotdeploy.agent.drain;

import io.github.hotdeploy.agent.bootstrap.JdkInternals;
import java.io.FileDescriptor;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.Map;

/**
 * What the app's JDK selectors want from each connection, straight from their keys. Unlike
 * epoll's view, a key is exact the moment the app changes it: com.sun.net.httpserver cancels a
 * connection's key before a worker reads the request, Jetty and Tomcat set its interest to 0, and
 * the epoll registration follows only at that selector's next select, which on a busy machine
 * can be long after the worker started writing the response.
 */
final class SelectorKeys {

    /** Interest of the fds registered with JDK selectors. */
    static final class Interest {
        private final Map<Integer, Integer> opsByFd;
        // The key each fd was seen with; absent when it had several.
        private final Map<Integer, SelectionKey> keyByFd;

        Interest(Map<Integer, Integer> opsByFd, Map<Integer, SelectionKey> keyByFd) {
            this.opsByFd = opsByFd;
            this.keyByFd = keyByFd;
        }

        /** Whether a JDK selector has this fd at all (else epoll or threads must tell). */
        boolean known(int fd) {
            return opsByFd.containsKey(fd);
        }

        /** Registered for reading and not for writing, on a valid key. */
        boolean waitingToRead(int fd) {
            Integer ops = opsByFd.get(fd);
            return ops != null && waiting(ops);
        }
    }

    private final JdkInternals jdk;

    SelectorKeys(JdkInternals jdk) {
        this.jdk = jdk;
    }

    /** One look at every known selector's keys. */
    Interest look() {
        Map<Integer, Integer> ops = new HashMap<Integer, Integer>();
        Map<Integer, SelectionKey> keys = new HashMap<Integer, SelectionKey>();
        for (Selector selector : jdk.selectors()) {
            for (int attempt = 0; attempt < 3; attempt++) {
                try {
                    for (SelectionKey key : selector.keys()) {
                        add(ops, keys, key);
                    }
                    break;
                } catch (ConcurrentModificationException changedMeanwhile) {
                    // JDK 8's key set is a plain HashSet: look again
                } catch (RuntimeException closed) {
                    break; // ClosedSelectorException: nothing of it to look at
                }
            }
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
        SelectionKey key = seen.keyByFd.get(fd);
        if (key == null) {
            return look().waitingToRead(fd); // several keys: rare enough to look at them all
        }
        try {
            return key.isValid() && waiting(key.interestOps());
        } catch (java.nio.channels.CancelledKeyException cancelledMeanwhile) {
            return false;
        }
    }

    private void add(Map<Integer, Integer> ops, Map<Integer, SelectionKey> keys, SelectionKey key) {
        FileDescriptor fd = jdk.channelFd(key);
        int number;
        try {
            number = fd == null ? -1 : jdk.fdVal(fd);
        } catch (java.io.IOException e) {
            return;
        }
        if (number < 0) {
            return;
        }
        int interest;
        try {
            interest = key.isValid() ? key.interestOps() : 0;
        } catch (java.nio.channels.CancelledKeyException cancelledMeanwhile) {
            interest = 0;
        }
        Integer before = ops.get(number);
        // One fd in several selectors, or a cancelled key not yet dropped beside a new one: it
        // counts as waiting to read only if every key says so.
        if (before == null) {
            ops.put(number, interest);
            keys.put(number, key);
        } else {
            keys.remove(number);
            if (!waiting(before) || !waiting(interest)) {
                ops.put(number, 0);
            }
        }
    }

    private static boolean waiting(int ops) {
        return (ops & SelectionKey.OP_READ) != 0 && (ops & SelectionKey.OP_WRITE) == 0;
    }
}
