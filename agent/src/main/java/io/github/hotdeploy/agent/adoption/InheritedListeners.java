package io.github.hotdeploy.agent.adoption;

import io.github.hotdeploy.agent.bootstrap.JdkInternals;
import io.github.hotdeploy.protocol.InheritedSocket;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Checks each SERVER_STARTER_PORT entry against the real fd before the agent relies on it. The
 * variable is inherited by every process the application starts (and may be stale or forged), so
 * an entry is trusted only when its fd is a listening stream socket bound to the key's port (and
 * address or path). UDP entries are legitimate but never adopted: they are skipped quietly.
 */
public final class InheritedListeners {

    private final List<InheritedListener> listeners;
    private final List<String> problems;
    private final boolean noneInherited;

    private InheritedListeners(List<InheritedListener> listeners, List<String> problems, boolean noneInherited) {
        this.listeners = Collections.unmodifiableList(listeners);
        this.problems = Collections.unmodifiableList(problems);
        this.noneInherited = noneInherited;
    }

    public static InheritedListeners validate(List<InheritedSocket> entries, JdkInternals jdk) {
        return validate(entries, Collections.<InheritedSocket>emptyList(), jdk);
    }

    /**
     * @param extras the entries of SERVER_STARTER_EXTRA_PORT: checked the same way, marked
     *     {@link InheritedListener#isExtra()}
     */
    public static InheritedListeners validate(List<InheritedSocket> entries, List<InheritedSocket> extras,
            JdkInternals jdk) {
        List<InheritedListener> listeners = new ArrayList<InheritedListener>();
        List<String> problems = new ArrayList<String>();
        int noSocket = 0;
        List<InheritedSocket> all = new ArrayList<InheritedSocket>(entries);
        all.addAll(extras);
        for (int i = 0; i < all.size(); i++) {
            InheritedSocket entry = all.get(i);
            try {
                // Closed, or above stderr and not a socket: a file this JVM opened at that number
                // (JDK 25 opens lib/modules at 3). start_server never passes 0-2: those are mistakes.
                if (!new java.io.File("/proc/self/fd/" + entry.fd()).exists()
                        || (entry.fd() > 2 && jdk.socketType(entry.fd()) < 0)) {
                    noSocket++;
                }
                InheritedListener listener = check(entry, i >= entries.size(), jdk, problems);
                if (listener != null) {
                    listeners.add(listener);
                }
            } catch (IOException | RuntimeException e) {
                problems.add(entry + ": " + e.getMessage());
            }
        }
        return new InheritedListeners(listeners, problems, !all.isEmpty() && noSocket == all.size());
    }

    private static InheritedListener check(InheritedSocket entry, boolean extra, JdkInternals jdk,
            List<String> problems) throws IOException {
        int type = jdk.socketType(entry.fd());
        if (type == JdkInternals.SOCK_DGRAM) {
            return null; // a UDP port: nothing to adopt, nothing wrong
        }
        if (type != JdkInternals.SOCK_STREAM) {
            problems.add(entry + ": fd " + entry.fd() + (type < 0 ? " is not an open socket" : " is not a stream socket"));
            return null;
        }
        FileDescriptor fd = jdk.newFd(entry.fd());
        if (!jdk.isListening(fd)) {
            problems.add(entry + ": fd " + entry.fd() + " is a socket but not listening");
            return null;
        }
        if (entry.kind() == InheritedSocket.Kind.PATH) {
            String path = jdk.unixLocalPath(fd);
            if (path == null) {
                return null; // before JDK 16 nothing in the JDK can bind a unix socket to adopt it
            }
            if (!path.equals(entry.path())) {
                problems.add(entry + ": fd " + entry.fd() + " is bound to '" + path + "'");
                return null;
            }
            return new InheritedListener(entry, fd, null, path, extra);
        }
        InetSocketAddress local = jdk.localAddress(fd);
        if (local == null || local.getPort() != entry.port()) {
            problems.add(entry + ": fd " + entry.fd() + " listens on " + local);
            return null;
        }
        InetAddress keyAddress = literalAddress(entry);
        if (keyAddress != null && !sameAddress(keyAddress, local.getAddress())) {
            problems.add(entry + ": fd " + entry.fd() + " listens on " + local);
            return null;
        }
        return new InheritedListener(entry, fd, local, null, extra);
    }

    /** The key's host when it is an IP literal; null for a bare port or a host name (no DNS here). */
    private static InetAddress literalAddress(InheritedSocket entry) {
        if (entry.kind() == InheritedSocket.Kind.PORT) {
            return null; // a wildcard by definition; the socket may be IPv4 or dual-stack
        }
        String host = entry.host();
        boolean literal = host.indexOf(':') >= 0 || isDottedDigits(host);
        if (!literal) {
            return null;
        }
        try {
            return InetAddress.getByName(host);
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean isDottedDigits(String host) {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return !host.isEmpty();
    }

    static boolean sameAddress(InetAddress a, InetAddress b) {
        if (a.isAnyLocalAddress() && b.isAnyLocalAddress()) {
            return true; // 0.0.0.0 and :: are both "every address"
        }
        return a.equals(b);
    }

    public List<InheritedListener> listeners() { return listeners; }

    /** One entry per rejected SERVER_STARTER_PORT entry, each naming it and why. */
    public List<String> problems() { return problems; }

    /**
     * No fd of any entry is a socket in this JVM (closed, or a file the JVM opened at that number):
     * it did not inherit start_server's sockets (a JVM that the application started, with
     * ProcessBuilder for instance, inherits the variables but not the descriptors). Nothing is
     * wrong with the variable then, and the agent has nothing to do.
     */
    public boolean noneInherited() { return noneInherited; }

    /** The listeners start_server was asked to serve (SERVER_STARTER_PORT), without the held extras. */
    public List<InheritedListener> served() {
        List<InheritedListener> served = new ArrayList<InheritedListener>();
        for (InheritedListener listener : listeners) {
            if (!listener.isExtra()) {
                served.add(listener);
            }
        }
        return served;
    }
}
