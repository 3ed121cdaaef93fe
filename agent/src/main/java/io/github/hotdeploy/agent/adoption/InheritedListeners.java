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

    private InheritedListeners(List<InheritedListener> listeners, List<String> problems) {
        this.listeners = Collections.unmodifiableList(listeners);
        this.problems = Collections.unmodifiableList(problems);
    }

    public static InheritedListeners validate(List<InheritedSocket> entries, JdkInternals jdk) {
        List<InheritedListener> listeners = new ArrayList<InheritedListener>();
        List<String> problems = new ArrayList<String>();
        for (InheritedSocket entry : entries) {
            try {
                InheritedListener listener = check(entry, jdk, problems);
                if (listener != null) {
                    listeners.add(listener);
                }
            } catch (IOException | RuntimeException e) {
                problems.add(entry + ": " + e.getMessage());
            }
        }
        return new InheritedListeners(listeners, problems);
    }

    private static InheritedListener check(InheritedSocket entry, JdkInternals jdk, List<String> problems)
            throws IOException {
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
            return new InheritedListener(entry, fd, null, path);
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
        return new InheritedListener(entry, fd, local, null);
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
}
