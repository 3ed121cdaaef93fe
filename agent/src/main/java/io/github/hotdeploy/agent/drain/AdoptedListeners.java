package io.github.hotdeploy.agent.drain;

import io.github.hotdeploy.agent.adoption.Adopter;
import io.github.hotdeploy.agent.adoption.InheritedListener;
import io.github.hotdeploy.agent.bootstrap.JdkInternals;
import java.io.FileDescriptor;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The app's fds that hold an adopted listener, and the selection keys through which the app
 * accepts on them. Keys are learnt from the OP_ACCEPT interest the app sets (every selector
 * registration sets interest through {@code SelectionKeyImpl.interestOps}); once
 * {@link #holdOffAccepts()} is called, every later attempt to set OP_ACCEPT on such a key
 * loses that bit, so an app that re-arms accepts (Netty does, after each read loop) stays off.
 */
public final class AdoptedListeners implements Adopter.Listener, Predicate<Object[]> {

    /** One adoption: the app's own fd, now the shared socket. */
    static final class Adopted {
        final String key;
        final FileDescriptor appFd;
        final int appFdNumber;
        final int port; // -1 for a unix socket
        final List<SelectionKey> keys = new ArrayList<SelectionKey>();

        Adopted(String key, FileDescriptor appFd, int appFdNumber, int port) {
            this.key = key;
            this.appFd = appFd;
            this.appFdNumber = appFdNumber;
            this.port = port;
        }
    }

    private final JdkInternals jdk;
    private final List<Adopted> adopted = new ArrayList<Adopted>();
    private volatile boolean holdingOff;

    public AdoptedListeners(JdkInternals jdk) {
        this.jdk = jdk;
    }

    @Override
    public void adopted(InheritedListener listener, FileDescriptor appFd, int appFdNumber) {
        int port = -1;
        try {
            java.net.InetSocketAddress local = jdk.localAddress(appFd);
            port = local == null ? -1 : local.getPort();
        } catch (Exception unixOrGone) {
            // a unix socket: no TCP connections to follow on it
        }
        synchronized (this) {
            // A re-bind (the app closed and bound again) may reuse the fd number: the newest wins.
            for (int i = adopted.size() - 1; i >= 0; i--) {
                if (adopted.get(i).appFdNumber == appFdNumber) {
                    adopted.remove(i);
                }
            }
            adopted.add(new Adopted(listener.key(), appFd, appFdNumber, port));
        }
    }

    /** Called by the bridge with {@code [SelectionKey]} whenever a key gets OP_ACCEPT interest. */
    @Override
    public boolean test(Object[] request) {
        SelectionKey key = (SelectionKey) request[0];
        FileDescriptor fd = jdk.channelFd(key);
        if (fd == null) {
            return false;
        }
        synchronized (this) {
            for (Adopted a : adopted) {
                if (a.appFd == fd) {
                    if (!a.keys.contains(key)) {
                        a.keys.add(key);
                    }
                    return holdingOff;
                }
            }
        }
        return false;
    }

    /** From now on OP_ACCEPT never sticks on an adopted listener's key. */
    void holdOffAccepts() {
        holdingOff = true;
    }

    synchronized List<Adopted> snapshot() {
        List<Adopted> copy = new ArrayList<Adopted>();
        for (Adopted a : adopted) {
            Adopted c = new Adopted(a.key, a.appFd, a.appFdNumber, a.port);
            for (SelectionKey k : a.keys) {
                if (k.isValid()) {
                    c.keys.add(k);
                }
            }
            copy.add(c);
        }
        return copy;
    }
}
