package io.github.hotdeploy.agent.drain;

import io.github.hotdeploy.agent.Log;
import io.github.hotdeploy.agent.adoption.FdFlags;
import io.github.hotdeploy.agent.bootstrap.JdkInternals;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Stops this process accepting on the adopted listeners while the shared socket keeps queueing
 * connections for the other generation. Never shutdown(2): on a shared listening socket it
 * refuses connections for every holder.
 *
 * <ul>
 *   <li>A listener an epoll set watches (every selector-based server) has its keys' OP_ACCEPT
 *       cleared, and {@link AdoptedListeners} keeps it cleared; the selector is woken so the
 *       change applies now, not after its next timeout. Replacing such an fd with dup2 would
 *       leave the old epoll registration firing forever.</li>
 *   <li>A listener nothing watches is accepted on by blocking threads: a dummy listening socket
 *       (same O_NONBLOCK) takes its fd number with dup2, so later accept calls wait on the dummy
 *       until the app closes it. A thread already inside accept(2) still holds the shared socket
 *       and may take one more connection, which the drain then serves like any other.</li>
 * </ul>
 */
final class AcceptStopper {

    private final JdkInternals jdk;
    private final AdoptedListeners listeners;
    // Kept for the JVM's life: a collected dummy channel would close its own fd (not the dup).
    private final List<ServerSocketChannel> dummies = new ArrayList<ServerSocketChannel>();

    AcceptStopper(JdkInternals jdk, AdoptedListeners listeners) {
        this.jdk = jdk;
        this.listeners = listeners;
    }

    /** Returns the listeners it could not stop (empty when all are stopped). */
    List<String> stop(Set<Integer> epollWatched) {
        listeners.holdOffAccepts();
        List<String> failures = new ArrayList<String>();
        for (AdoptedListeners.Adopted a : listeners.snapshot()) {
            if (!jdk.isListening(a.appFd)) {
                continue; // the app closed it already
            }
            try {
                if (!a.keys.isEmpty()) {
                    for (SelectionKey key : a.keys) {
                        // Through the hooked interestOps: the filter strips OP_ACCEPT.
                        key.interestOps(key.interestOps());
                        key.selector().wakeup();
                    }
                } else if (epollWatched.contains(a.appFdNumber)) {
                    failures.add(a.key + " (fd " + a.appFdNumber + " is watched by a selector the agent does not know)");
                } else {
                    replaceWithDummy(a);
                }
            } catch (Exception e) {
                failures.add(a.key + " (" + Log.describe(e) + ")");
            }
        }
        return failures;
    }

    private void replaceWithDummy(AdoptedListeners.Adopted a) throws IOException {
        boolean nonBlocking = FdFlags.isNonBlocking(a.appFdNumber);
        ServerSocketChannel dummy = ServerSocketChannel.open();
        try {
            // Loopback, ephemeral, backlog 1: nobody is expected to find it.
            dummy.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            dummy.configureBlocking(!nonBlocking);
            jdk.dup2(jdk.fdVal(getFd(dummy)), a.appFdNumber);
        } catch (IOException | RuntimeException e) {
            dummy.close();
            throw e;
        }
        dummies.add(dummy);
    }

    /** Whether some listener was accepted on by blocking threads (a dummy took its place). */
    boolean stoppedBlockingAcceptors() {
        return !dummies.isEmpty();
    }

    private java.io.FileDescriptor getFd(ServerSocketChannel channel) throws IOException {
        java.io.FileDescriptor fd = jdk.channelFd(channel);
        if (fd == null) {
            throw new IOException("cannot read the dummy socket's fd");
        }
        return fd;
    }
}
