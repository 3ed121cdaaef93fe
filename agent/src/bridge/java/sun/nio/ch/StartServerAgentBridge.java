package sun.nio.ch;

import java.io.FileDescriptor;
import java.net.InetAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.util.function.Consumer;
import java.util.function.Predicate;

/*
 * !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
 * !!  NOT A JDK CLASS. Defined at run time by the start_server agent (server-starter-jvm) inside  !!
 * !!  java.base, package sun.nio.ch, in the BOOTSTRAP class loader.                              !!
 * !!                                                                                            !!
 * !!  JDK types only: the bootstrap loader cannot see the agent's classes. Instrumented JDK      !!
 * !!  methods call these statics; the agent plugs its logic in through java.util.function        !!
 * !!  types. Nothing here may throw into the JDK: every failure means "behave as without the    !!
 * !!  agent".                                                                                    !!
 * !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
 *
 * Source: agent/src/bridge/java in the server-starter-jvm repository; see docs/agent.md.
 */
public final class StartServerAgentBridge {

    /** First element of the array handed to the bind predicate: which JDK method asked. */
    public static final int NET_BIND = 1;
    public static final int PLAIN_BIND = 2;
    public static final int UNIX_BIND = 3;
    public static final int NETTY_BIND = 4;

    /** First element of the array handed to the accept watcher. */
    public static final int ACCEPT_ENTERED = 1;
    public static final int ACCEPT_INTEREST = 2;
    public static final int NETTY_LISTEN = 3;

    private static final int OP_ACCEPT = 16;

    // Returns true when the agent placed an inherited socket on the app's fd: skip the native bind.
    private static volatile Predicate<Object[]> binds;

    // Non-null only while the agent still waits for the app to accept on an adopted socket, so
    // that accept paths cost one volatile read once the generation is ready.
    private static volatile Consumer<Object[]> accepts;

    private StartServerAgentBridge() {
    }

    public static void setBinds(Predicate<Object[]> predicate) {
        binds = predicate;
    }

    public static void setAccepts(Consumer<Object[]> watcher) {
        accepts = watcher;
    }

    // ---- called from sun.nio.ch.Net.bind(ProtocolFamily, FileDescriptor, InetAddress, int)
    public static boolean netBind(ProtocolFamily family, FileDescriptor fd, InetAddress address, int port) {
        return bind(new Object[] {NET_BIND, fd, address, port, family});
    }

    // ---- called from java.net.AbstractPlainSocketImpl.bind(InetAddress, int)
    public static boolean plainBind(Object socketImpl, InetAddress address, int port) {
        return bind(new Object[] {PLAIN_BIND, socketImpl, address, port});
    }

    // ---- called from sun.nio.ch.UnixDomainSockets.bind(FileDescriptor, Path)
    public static boolean unixBind(FileDescriptor fd, Object path) {
        return bind(new Object[] {UNIX_BIND, fd, path});
    }

    // ---- called from io.netty.channel.unix.Socket.bind(SocketAddress), any (shaded) copy
    public static boolean nettyBind(Object socket, SocketAddress address) {
        return bind(new Object[] {NETTY_BIND, socket, address});
    }

    // ---- called on entry of ServerSocketChannelImpl.accept, NioSocketImpl.accept,
    // AbstractPlainSocketImpl.accept and AsynchronousServerSocketChannelImpl.accept
    public static void acceptEntered(FileDescriptor fd) {
        Consumer<Object[]> watcher = accepts;
        if (watcher != null) {
            watch(watcher, new Object[] {ACCEPT_ENTERED, fd});
        }
    }

    // ---- called on entry of SelectionKeyImpl.interestOps(int)
    public static void interestSet(SelectionKey key, int ops) {
        if ((ops & OP_ACCEPT) == 0) {
            return;
        }
        Consumer<Object[]> watcher = accepts;
        if (watcher != null) {
            watch(watcher, new Object[] {ACCEPT_INTEREST, key});
        }
    }

    // ---- called on entry of io.netty.channel.unix.Socket.listen(int)
    public static void nettyListening(Object socket) {
        Consumer<Object[]> watcher = accepts;
        if (watcher != null) {
            watch(watcher, new Object[] {NETTY_LISTEN, socket});
        }
    }

    private static boolean bind(Object[] request) {
        Predicate<Object[]> predicate = binds;
        if (predicate == null) {
            return false;
        }
        try {
            return predicate.test(request);
        } catch (Throwable t) {
            // The agent decides before it touches anything; an escape here means nothing was touched.
            return false;
        }
    }

    private static void watch(Consumer<Object[]> watcher, Object[] event) {
        try {
            watcher.accept(event);
        } catch (Throwable ignored) {
            // Readiness is advisory: an accept must never fail because of it.
        }
    }
}
