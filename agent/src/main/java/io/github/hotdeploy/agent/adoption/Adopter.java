package io.github.hotdeploy.agent.adoption;

import static io.github.hotdeploy.agent.bootstrap.BridgeContract.NETTY_BIND;
import static io.github.hotdeploy.agent.bootstrap.BridgeContract.NET_BIND;
import static io.github.hotdeploy.agent.bootstrap.BridgeContract.PLAIN_BIND;
import static io.github.hotdeploy.agent.bootstrap.BridgeContract.UNIX_BIND;

import io.github.hotdeploy.agent.Log;
import io.github.hotdeploy.agent.bootstrap.JdkInternals;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Decides every hooked bind, handed over by the bridge as {@code [kind, ...]} (see
 * {@code StartServerAgentBridge}). Returns true only after it has placed the inherited socket on
 * the app's own fd with dup2: the hooked method then skips the native bind, and the JDK carries on
 * with listen() and getsockname() exactly as after a real bind.
 *
 * <p>Fail-safe order: everything that can fail (matching, re-checking both fds, reading
 * O_NONBLOCK) happens before dup2; dup2 is the commit point. Before it any problem means "bind
 * normally"; after it the bind has happened and true is returned whatever follows.
 */
public final class Adopter implements Predicate<Object[]> {

    /** Told about each adoption: the readiness tracker. */
    public interface Listener {
        void adopted(InheritedListener listener, FileDescriptor appFd, int appFdNumber);
    }

    /**
     * Told about each TCP bind to a port of the application's own (none of the inherited
     * sockets), before the native bind runs: start_server may take such a port over once the
     * application listens there, so that the next generation can bind it too.
     */
    public interface OwnBinds {
        void bound(int fdNumber, InetAddress address, int port);
    }

    /**
     * Whether a bind of the application's own to a port another process listens on may wait for
     * that port: only when the other process is on its way out, i.e. this generation has already
     * told start_server it serves (so the old one gets its stop signal), or start_server is the
     * Perl original (which stops the old one after --interval whatever happens).
     */
    public interface BusyPorts {
        boolean mayWait();

        long maxWaitMs();
    }

    private final List<InheritedListener> listeners;
    private final JdkInternals jdk;
    private final Listener listener;
    private final OwnBinds ownBinds;
    private volatile BusyPorts busyPorts;
    /** Set while this thread probes a port: the probe's own bind comes through the hook too. */
    private final ThreadLocal<Boolean> probing = new ThreadLocal<Boolean>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private volatile FileDescriptor probe;
    private volatile boolean probeSeen;

    public Adopter(List<InheritedListener> listeners, JdkInternals jdk, Listener listener) {
        this(listeners, jdk, listener, null);
    }

    /** @param ownBinds told about the binds that adopt nothing; may be null */
    public Adopter(List<InheritedListener> listeners, JdkInternals jdk, Listener listener, OwnBinds ownBinds) {
        this.listeners = listeners;
        this.jdk = jdk;
        this.listener = listener;
        this.ownBinds = ownBinds;
    }

    public void waitForBusyPorts(BusyPorts policy) {
        this.busyPorts = policy;
    }

    /** A FileDescriptor that, reaching us through a hooked Net.bind, proves the hook runs. */
    public void expectProbe(FileDescriptor fd) {
        probe = fd;
    }

    public boolean probeSeen() {
        return probeSeen;
    }

    @Override
    public boolean test(Object[] request) {
        if (probing.get() != null) {
            return false;
        }
        int kind = (Integer) request[0];
        if (kind == NET_BIND && request[1] == probe && probe != null) {
            probeSeen = true;
            return true;
        }
        try {
            switch (kind) {
                case NET_BIND:
                    return adoptInet((FileDescriptor) request[1], (InetAddress) request[2], (Integer) request[3]) != null;
                case PLAIN_BIND:
                    return plainBind(request[1], (InetAddress) request[2], (Integer) request[3]);
                case UNIX_BIND:
                    return adoptUnix((FileDescriptor) request[1], String.valueOf(request[2]));
                case NETTY_BIND:
                    return nettyBind((Integer) request[1], (SocketAddress) request[2]);
                default:
                    return false;
            }
        } catch (Throwable t) {
            warnOnce("bind", "could not adopt an inherited socket (" + Log.describe(t)
                    + "); the application binds normally");
            return false;
        }
    }

    private boolean plainBind(Object socketImpl, InetAddress address, int port) throws IOException {
        FileDescriptor fd = jdk.socketImplFd(socketImpl);
        InetSocketAddress bound = adoptInet(fd, address, port);
        if (bound == null) {
            return false;
        }
        // PlainSocketImpl's native bind records these itself; nothing else reads the socket back.
        jdk.markPlainSocketImplBound(socketImpl, address, bound.getPort());
        return true;
    }

    private boolean nettyBind(int fdNumber, SocketAddress address) throws Exception {
        FileDescriptor fd = jdk.newFd(fdNumber);
        if (address instanceof InetSocketAddress) {
            InetSocketAddress inet = (InetSocketAddress) address;
            return adoptInet(fd, inet.getAddress(), inet.getPort()) != null;
        }
        if (address != null && address.getClass().getName().endsWith("DomainSocketAddress")) {
            String path = (String) address.getClass().getMethod("path").invoke(address);
            return adoptUnix(fd, path);
        }
        return false;
    }

    /** The adopted listener's address, or null when the bind must proceed normally. */
    private InetSocketAddress adoptInet(FileDescriptor appFd, InetAddress address, int port) throws IOException {
        BindMatcher.Match match = BindMatcher.inet(listeners, address, port);
        if (match.mismatch != null) {
            warnOnce(match.mismatch, match.mismatch + "; binding normally");
        }
        InheritedListener inherited = match.listener;
        if (inherited == null) {
            if (match.mismatch == null) {
                reportOwnBind(appFd, address, port);
            }
            return null;
        }
        InetSocketAddress now = inherited.address();
        if (!stillListening(inherited) || !now.equals(jdk.localAddress(inherited.fd()))) {
            warnOnce(inherited.key(), "inherited socket " + inherited + " is no longer the listening socket"
                    + " start_server announced; binding normally");
            return null;
        }
        return commit(inherited, appFd, address.getHostAddress() + ":" + port) ? now : null;
    }

    private void reportOwnBind(FileDescriptor appFd, InetAddress address, int port) throws IOException {
        if (ownBinds == null || address == null || port <= 0 || appFd == probe) {
            return;
        }
        int fd = jdk.fdVal(appFd);
        if (fd >= 0 && jdk.socketType(fd) == JdkInternals.SOCK_STREAM) {
            ownBinds.bound(fd, address, port);
            awaitFreePort(address, port);
        }
    }

    /**
     * A port the old generation still listens on, which start_server could not take over for
     * this one (the restart came before the old one bound it, or the kernel refused): once this
     * generation serves, the old one is about to let it go, so the bind waits for that instead of
     * failing with "Address already in use". Before that it must not wait: the old generation is
     * only stopped once this one is ready, and this bind may be on the way to ready (a deadlock).
     */
    private void awaitFreePort(InetAddress address, int port) {
        BusyPorts policy = busyPorts;
        if (policy == null || !policy.mayWait() || !PreviousGeneration.possible() || !inUse(address, port)) {
            return;
        }
        // Only for an earlier generation of this start_server, which is on its way out: a
        // stranger holding the port would make the bind fail after the wait all the same.
        long holder = PreviousGeneration.holding(port);
        if (holder < 0) {
            return;
        }
        String what = address.getHostAddress() + ":" + port;
        long start = System.nanoTime();
        long limitNanos = policy.maxWaitMs() * 1000000L;
        Log.info(what + " is still taken by the previous generation (pid " + holder + "), which is being stopped;"
                + " this bind waits until it is free (at most " + policy.maxWaitMs() / 1000 + " s)");
        try {
            while (inUse(address, port)) {
                if (System.nanoTime() - start > limitNanos || !PreviousGeneration.alive(holder)) {
                    Log.warn(what + " is still taken after " + (System.nanoTime() - start) / 1000000000L
                            + " s; binding anyway");
                    return;
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        Log.info(what + " is free after " + (System.nanoTime() - start) / 1000000L + " ms; binding it");
    }

    /** Whether a listening socket holds the address, as the application's bind would find (SO_REUSEADDR on). */
    private boolean inUse(InetAddress address, int port) {
        probing.set(Boolean.TRUE);
        java.net.ServerSocket probe = null;
        try {
            probe = new java.net.ServerSocket();
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(address, port), 1);
            return false;
        } catch (java.net.BindException taken) {
            return true;
        } catch (IOException | RuntimeException other) {
            return false; // cannot tell: do not hold the application up
        } finally {
            probing.remove();
            if (probe != null) {
                try {
                    probe.close();
                } catch (IOException ignored) {
                    // a probe that did not close is closed by the GC
                }
            }
        }
    }

    private boolean adoptUnix(FileDescriptor appFd, String path) throws IOException {
        InheritedListener inherited = BindMatcher.unix(listeners, path).listener;
        if (inherited == null) {
            return false;
        }
        if (!stillListening(inherited) || !inherited.path().equals(jdk.unixLocalPath(inherited.fd()))) {
            warnOnce(inherited.key(), "inherited socket " + inherited + " is no longer the listening socket"
                    + " start_server announced; binding normally");
            return false;
        }
        return commit(inherited, appFd, path);
    }

    private boolean stillListening(InheritedListener inherited) {
        return jdk.socketType(inherited.fdNumber()) == JdkInternals.SOCK_STREAM && jdk.isListening(inherited.fd());
    }

    private boolean commit(InheritedListener inherited, FileDescriptor appFd, String what) throws IOException {
        int target = jdk.fdVal(appFd);
        if (target < 0 || target == inherited.fdNumber()) {
            return false;
        }
        if (jdk.socketType(target) != JdkInternals.SOCK_STREAM) {
            return false; // UDP and anything odd: untouched
        }
        boolean nonBlocking = FdFlags.isNonBlocking(target);
        jdk.dup2(inherited.fdNumber(), target);
        // Committed: the app's fd is now the inherited socket whatever happens next.
        try {
            // The description came from start_server (blocking); the app's code expects its own mode.
            jdk.configureBlocking(appFd, !nonBlocking);
        } catch (IOException | RuntimeException e) {
            Log.warn("adopted " + inherited + " but could not restore O_NONBLOCK=" + nonBlocking
                    + " on fd " + target + " (" + Log.describe(e) + ")");
        }
        Log.info("adopted " + (inherited.isExtra() ? "the socket start_server holds since an earlier generation bound it, "
                : "inherited socket ") + inherited.key() + " (fd " + inherited.fdNumber() + ") for the bind to "
                + what + " on fd " + target);
        listener.adopted(inherited, appFd, target);
        return true;
    }

    private void warnOnce(String topic, String message) {
        if (warned.add(topic)) {
            Log.warn(message);
        }
    }
}
