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
 *   <li>A listener whose JDK selection keys the agent saw (every JDK-selector-based server) has
 *       its keys' OP_ACCEPT cleared, and {@link AdoptedListeners} keeps it cleared; the selector is
 *       woken so the change applies now, not after its next timeout.</li>
 *   <li>A listener in an epoll set whose keys the agent never saw (Netty's native transport, the
 *       JDK's EPollPort behind AsynchronousServerSocketChannel), JDK 17+: its registration in each
 *       such set is changed in place to no events ({@code EPOLL_CTL_MOD}, events 0; a listening
 *       socket never reports EPOLLERR or EPOLLHUP), so epoll_wait stops reporting it while the
 *       registration stays for the app's own DEL or close. Then:
 *       <ul>
 *         <li>an EPOLLONESHOT registration is EPollPort's, which re-arms it on every
 *             {@code accept()} and also accepts straight away on the fd before it polls: the fd
 *             additionally gets the dummy below, so those later accepts and re-arms land on the
 *             dummy (the MOD of a re-arm finds no registration for it, and EPollPort ADDs the
 *             dummy, which never becomes ready). The silenced registration of the shared socket
 *             stays in the set, never ready;</li>
 *         <li>any other registration (Netty: armed once, re-armed only when the app changes its
 *             interest, e.g. auto-read toggled off and on) keeps the shared socket, because Netty
 *             fails on an epoll_ctl that finds no registration; {@link #keepStopped()} silences it
 *             again if the app re-arms it while the drain runs.</li>
 *       </ul>
 *       Replacing such an fd with dup2 alone would leave the old registration reporting the
 *       shared socket: level-triggered, it fires forever. JDK 8-16: not attempted; the drain
 *       stands down with a warning.</li>
 *   <li>A listener no epoll set watches is accepted on by blocking threads: a dummy listening socket
 *       (same O_NONBLOCK) takes its fd number with dup2, so later accept calls wait on the dummy
 *       until the app closes it. A thread already inside accept(2) still holds the shared socket:
 *       it is signalled as the JDK's close() would, and its retry waits on the dummy.</li>
 * </ul>
 */
final class AcceptStopper {

    private final JdkInternals jdk;
    private final AdoptedListeners listeners;
    // Kept for the JVM's life: a collected dummy channel would close its own fd (not the dup).
    private final List<ServerSocketChannel> dummies = new ArrayList<ServerSocketChannel>();
    private int blockingAcceptors;
    // Registrations silenced in place that the app may re-arm (Netty's), with how often it did.
    private final List<EpollRegistrations.Registration> silenced = new ArrayList<EpollRegistrations.Registration>();
    private int rearmed;

    /** Whether this JDK lets the bridge call epoll_ctl and has the EPollPort shape described above. */
    static final boolean FOREIGN_EPOLL = javaMajor() >= 17;

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
                } else {
                    String failure = stopUnkeyed(a, epollWatched.contains(a.appFdNumber));
                    if (failure != null) {
                        failures.add(a.key + " (" + failure + ")");
                    }
                }
            } catch (Exception e) {
                failures.add(a.key + " (" + Log.describe(e) + ")");
            }
        }
        return failures;
    }

    /** A listener without known selection keys; returns why it cannot be stopped, or null. */
    private String stopUnkeyed(AdoptedListeners.Adopted a, boolean watchedForInput) throws IOException {
        if (!FOREIGN_EPOLL) {
            // As before JDK 17 support: an epoll set the agent does not know means no drain.
            if (watchedForInput) {
                return "fd " + a.appFdNumber + " is watched by a selector the agent does not know";
            }
            stopBlockingAcceptors(a);
            return null;
        }
        long inode = EpollRegistrations.socketInode(a.appFdNumber);
        if (inode < 0) {
            return "fd " + a.appFdNumber + " no longer names a socket";
        }
        List<EpollRegistrations.Registration> registrations = EpollRegistrations.of(a.appFdNumber, inode);
        if (registrations.isEmpty()) {
            stopBlockingAcceptors(a);
            return null;
        }
        boolean oneShot = false;
        for (EpollRegistrations.Registration r : registrations) {
            int errno = jdk.epollCtl(r.epfd, JdkInternals.EPOLL_CTL_MOD, r.fd, 0);
            if (errno != 0 && errno != ENOENT) { // ENOENT: the app removed it meanwhile
                return "epoll_ctl(" + r.epfd + ", MOD, " + r.fd + ", 0): errno " + errno;
            }
            oneShot |= r.oneShot();
        }
        if (oneShot) {
            replaceWithDummy(a);
        } else {
            silenced.addAll(registrations);
        }
        return null;
    }

    /**
     * Silences again, on each look of the drain, a registration the app re-armed (Netty does when
     * its auto-read is switched off and on). One fdinfo read per silenced epoll set.
     */
    void keepStopped() {
        for (EpollRegistrations.Registration r : silenced) {
            EpollRegistrations.Registration now = EpollRegistrations.in(r.epfd, r.fd, r.inode);
            if (now != null && now.armedForInput()) {
                try {
                    if (jdk.epollCtl(r.epfd, JdkInternals.EPOLL_CTL_MOD, r.fd, 0) == 0 && rearmed++ == 0) {
                        Log.info("drain: the application re-armed accepts on fd " + r.fd + " (" + now
                                + "); stopped them again");
                    }
                } catch (RuntimeException e) {
                    // best effort: the drain's timeout still bounds it
                }
            }
        }
    }

    private static final int ENOENT = 2;

    // How long a released acceptor may take to run again; a loaded machine takes milliseconds.
    private static final long RESCHEDULE_WAIT_MS = 2000;

    private static int javaMajor() {
        String v = System.getProperty("java.specification.version", "");
        try {
            return Integer.parseInt(v.startsWith("1.") ? v.substring(2) : v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * A listener accepted on by blocking threads: the dummy takes its fd number, and any thread
     * already inside accept(2) on it is released.
     */
    private void stopBlockingAcceptors(AdoptedListeners.Adopted a) throws IOException {
        PossibleAcceptors onShared = PossibleAcceptors.on(a.appFdNumber); // before the dup2: on the shared socket
        replaceWithDummy(a);
        releaseBlockedAcceptor(a, onShared.recountedWith(a.appFdNumber));
        blockingAcceptors++;
    }

    /**
     * A thread already inside accept(2) stays on the shared socket after the dup2 and would take
     * one more connection, maybe after the drain's last look: the JVM would exit with it
     * unanswered. The JDK's own signal gets it out; it then waits on the dummy. It leaves the shared
     * socket only when it next runs, so the drain waits for that, and for every thread that was
     * running, as one the kernel woke for a connection shows (see {@link PossibleAcceptors}).
     */
    private void releaseBlockedAcceptor(AdoptedListeners.Adopted a, PossibleAcceptors mayAccept) {
        int released;
        try {
            released = jdk.releaseBlockedAcceptor(a.appFdNumber);
        } catch (IOException | RuntimeException e) {
            // the legacy PlainSocketImpl (no record of its thread), an unknown JDK: the thread may
            // still take one connection, which the drain serves if it sees it in time
            Log.info("drain: cannot release a thread blocked in accept on " + a.key + " (" + Log.describe(e) + ")");
            return;
        }
        List<String> stuck;
        try {
            stuck = mayAccept.awaitRescheduled(RESCHEDULE_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (released > 0 || !stuck.isEmpty()) {
            // Most often a thread that is no acceptor and did not get a CPU on a loaded machine.
            Log.info("drain: released " + released + " thread(s) blocked in accept on " + a.key
                    + (stuck.isEmpty() ? "" : "; of the " + mayAccept.size() + " thread(s) then in accept or running, "
                    + stuck + " had not blocked again after " + RESCHEDULE_WAIT_MS + " ms: if one accepts, it may"
                    + " still take a connection"));
        }
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

    /**
     * Whether some listener was accepted on by blocking threads (in no epoll set, so a dummy took
     * its place); EPollPort's listeners get a dummy too, but their connections are asynchronous.
     */
    boolean stoppedBlockingAcceptors() {
        return blockingAcceptors > 0;
    }

    private java.io.FileDescriptor getFd(ServerSocketChannel channel) throws IOException {
        java.io.FileDescriptor fd = jdk.channelFd(channel);
        if (fd == null) {
            throw new IOException("cannot read the dummy socket's fd");
        }
        return fd;
    }
}
