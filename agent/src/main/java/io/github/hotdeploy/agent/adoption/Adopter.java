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

    private final List<InheritedListener> listeners;
    private final JdkInternals jdk;
    private final Listener listener;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private volatile FileDescriptor probe;
    private volatile boolean probeSeen;

    public Adopter(List<InheritedListener> listeners, JdkInternals jdk, Listener listener) {
        this.listeners = listeners;
        this.jdk = jdk;
        this.listener = listener;
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
        Log.info("adopted inherited socket " + inherited.key() + " (fd " + inherited.fdNumber() + ") for the bind to "
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
