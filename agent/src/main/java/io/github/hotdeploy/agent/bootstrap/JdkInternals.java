package io.github.hotdeploy.agent.bootstrap;

import static io.github.hotdeploy.agent.bootstrap.BridgeContract.*;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The JDK's own natives and internals that let the agent work on file descriptors without JNI:
 * everything the JDK already has for {@code System.inheritedChannel()} and NIO, reached through
 * the bridge's operations object (a plain {@link Function}, so no reflective call sites here).
 */
public final class JdkInternals {

    /** {@code SO_TYPE} values as {@code InheritedChannel.soType0} reports them (-1: not a socket). */
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;

    /** epoll_ctl opcode that changes a registration's events in place. */
    public static final int EPOLL_CTL_MOD = 3;

    private final Function<Object[], Object> bridge;

    JdkInternals(Function<Object[], Object> bridge) {
        this.bridge = bridge;
    }

    /** Installs (or with null removes) the decider of every hooked bind. */
    public void setBinds(Predicate<Object[]> binds) {
        bridge.apply(new Object[] {OP_SET_BINDS, binds});
    }

    /** Installs (or with null removes) the accept-side watcher used for readiness. */
    public void setAccepts(Consumer<Object[]> accepts) {
        bridge.apply(new Object[] {OP_SET_ACCEPTS, accepts});
    }

    /**
     * Installs (or with null removes) the watcher told, with {@code [Integer pid, byte[] program]}
     * (the program as a NUL-terminated C string), of each process the application starts.
     */
    public void setProcessStarts(Consumer<Object[]> processes) {
        bridge.apply(new Object[] {OP_SET_PROCESSES, processes});
    }

    /**
     * Installs (or with null removes) what runs, once, when jsvc calls the daemon's stop(), before
     * that stop runs.
     */
    public void setDaemonStop(Runnable drain) {
        bridge.apply(new Object[] {OP_SET_DAEMON_STOP, drain});
    }

    /**
     * Installs (or with null removes) the predicate asked, with {@code [SelectionKey]}, whenever
     * a key is given OP_ACCEPT interest; true strips OP_ACCEPT from that request.
     */
    public void setAcceptInterestFilter(Predicate<Object[]> filter) {
        bridge.apply(new Object[] {OP_SET_INTEREST_FILTER, filter});
    }

    /** shutdown(fd, SHUT_WR): sends FIN; reading, and the fd itself, are untouched. */
    public void shutdownOutput(FileDescriptor fd) throws IOException {
        call(OP_SHUTDOWN_OUTPUT, fd);
    }

    /** Starts (or stops) remembering every JDK selector opened from now on. */
    public void trackSelectors(boolean on) {
        bridge.apply(new Object[] {OP_TRACK_SELECTORS, on});
    }

    /** The live selectors remembered since {@link #trackSelectors} was turned on. */
    @SuppressWarnings("unchecked")
    public java.util.List<java.nio.channels.Selector> selectors() {
        return (java.util.List<java.nio.channels.Selector>) bridge.apply(new Object[] {OP_SELECTORS});
    }

    /** Bytes readable without blocking (FIONREAD), or -1 where this JDK cannot tell (before 13). */
    public int available(FileDescriptor fd) throws IOException {
        return (Integer) call(OP_AVAILABLE, fd);
    }

    /**
     * epoll_ctl(epfd, op, fd, events) with {@code data.fd = fd} (as the JDK's selectors, its
     * EPollPort and Netty's native transport all register): 0, or the errno.
     *
     * @throws UnsupportedOperationException on a JDK without {@code sun.nio.ch.EPoll.ctl} (before 11)
     */
    public int epollCtl(int epfd, int op, int fd, int events) {
        return (Integer) bridge.apply(new Object[] {OP_EPOLL_CTL, epfd, op, fd, events});
    }

    /**
     * Signals the thread, if any, that a server socket bound since {@link #trackSelectors} was
     * turned on has inside accept(2) on fd number {@code fd}, as the JDK's close() does; returns
     * how many threads were signalled. Only useful once the fd number names something else.
     */
    public int releaseBlockedAcceptor(int fd) throws IOException {
        return (Integer) call(OP_RELEASE_ACCEPTOR, fd);
    }

    /**
     * Installs (or with null removes) the drain's write editor: the bridge offers it every write
     * of the fds marked by {@link #followFds}, every TLS engine's plaintext and Netty's responses.
     */
    public void setWrites(Function<Object[], Object> writes) {
        bridge.apply(new Object[] {OP_SET_WRITES, writes});
    }

    /** The fd numbers whose writes the editor sees ({@code followed[fd]}); replaced as a whole. */
    public void followFds(boolean[] followed) {
        bridge.apply(new Object[] {OP_FOLLOW_FDS, followed});
    }

    /** The peer has closed its side (poll's POLLRDHUP), or the connection is gone. */
    public boolean peerClosed(FileDescriptor fd) throws IOException {
        return (Boolean) call(OP_PEER_CLOSED, fd);
    }

    public void dup2(int from, int to) throws IOException {
        call(OP_DUP2, from, to);
    }

    /** {@link #SOCK_STREAM}, {@link #SOCK_DGRAM}, another SO_TYPE, or -1 when fd is no socket. */
    public int socketType(int fd) {
        try {
            return (Integer) call(OP_SOCKET_TYPE, fd);
        } catch (IOException e) {
            return -1;
        }
    }

    /** SO_ACCEPTCONN: listen() was called on it. */
    public boolean isListening(FileDescriptor fd) {
        try {
            return (Boolean) call(OP_IS_LISTENING, fd);
        } catch (IOException e) {
            return false;
        }
    }

    public int fdVal(FileDescriptor fd) throws IOException {
        return (Integer) call(OP_FD_VAL, fd);
    }

    /** A FileDescriptor for an fd number. It owns nothing: no cleaner ever closes it. */
    public FileDescriptor newFd(int fd) throws IOException {
        return (FileDescriptor) call(OP_NEW_FD, fd);
    }

    public void configureBlocking(FileDescriptor fd, boolean blocking) throws IOException {
        call(OP_CONFIGURE_BLOCKING, fd, blocking);
    }

    public InetSocketAddress localAddress(FileDescriptor fd) throws IOException {
        return (InetSocketAddress) call(OP_LOCAL_ADDRESS, fd);
    }

    /** The bound path of a unix socket, or null when this JDK cannot tell (before 16). */
    public String unixLocalPath(FileDescriptor fd) throws IOException {
        return (String) call(OP_UNIX_LOCAL_PATH, fd);
    }

    /** Calls the (instrumented) {@code Net.bind}: used once at start-up to prove the hook runs. */
    public void probeNetBind(FileDescriptor fd) throws IOException {
        call(OP_PROBE_NET_BIND, fd);
    }

    /** The FileDescriptor of a selection key's channel, or null. */
    public FileDescriptor channelFd(SelectionKey key) {
        return channelFd((Object) key);
    }

    /** The FileDescriptor of a JDK selectable channel, or null. */
    public FileDescriptor channelFd(java.nio.channels.SelectableChannel channel) {
        return channelFd((Object) channel);
    }

    private FileDescriptor channelFd(Object keyOrChannel) {
        try {
            return (FileDescriptor) call(OP_CHANNEL_FD, keyOrChannel);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    public FileDescriptor socketImplFd(Object socketImpl) throws IOException {
        return (FileDescriptor) call(OP_SOCKET_IMPL_FD, socketImpl);
    }

    /** What the native bind of PlainSocketImpl would have recorded. */
    public void markPlainSocketImplBound(Object socketImpl, InetAddress address, int localPort) throws IOException {
        call(OP_MARK_PLAIN_BOUND, socketImpl, address, localPort);
    }

    private Object call(Object... op) throws IOException {
        try {
            return bridge.apply(op);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
