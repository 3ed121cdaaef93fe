package io.github.hotdeploy.agent.instrument;

import io.github.hotdeploy.agent.instrument.Hook.Group;
import io.github.hotdeploy.agent.instrument.Hook.Value;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every method the agent instruments, by class. Signatures are unchanged from JDK 8 to 25 except
 * where noted; a method a JDK lacks is simply not found, and its hook not applied.
 */
final class HookTable {

    static final String BRIDGE = "sun/nio/ch/StartServerAgentBridge";

    static final String NET = "sun/nio/ch/Net";
    static final String PLAIN_SOCKET_IMPL = "java/net/AbstractPlainSocketImpl";
    static final String UNIX_DOMAIN_SOCKETS = "sun/nio/ch/UnixDomainSockets";
    static final String SERVER_SOCKET_CHANNEL = "sun/nio/ch/ServerSocketChannelImpl";
    static final String NIO_SOCKET_IMPL = "sun/nio/ch/NioSocketImpl";
    static final String ASYNC_SERVER_SOCKET_CHANNEL = "sun/nio/ch/AsynchronousServerSocketChannelImpl";
    static final String SELECTION_KEY = "sun/nio/ch/SelectionKeyImpl";
    static final String SELECTOR = "sun/nio/ch/SelectorImpl";
    /** Matched as a suffix: shaded copies (grpc-netty-shaded, ...) have the same shape. */
    static final String NETTY_SOCKET_SUFFIX = "io/netty/channel/unix/Socket";
    // processes the application starts (JDK 9+, and JDK 8)
    static final String PROCESS_IMPL = "java/lang/ProcessImpl";
    static final String UNIX_PROCESS = "java/lang/UNIXProcess";
    /** commons-daemon's entry points, which jsvc calls through JNI. */
    static final String DAEMON_LOADER = "org/apache/commons/daemon/support/DaemonLoader";
    // the drain's write path
    static final String IO_UTIL = "sun/nio/ch/IOUtil";
    static final String SSL_ENGINE = "sun/security/ssl/SSLEngineImpl";
    static final String NETTY_RESPONSE_ENCODER_SUFFIX = "io/netty/handler/codec/http/HttpResponseEncoder";

    private static final String FD = "Ljava/io/FileDescriptor;";
    private static final String ACCEPT_ENTERED = "(" + FD + ")V";

    private final Map<String, List<Hook>> byClass = new HashMap<String, List<Hook>>();
    /** byClass's keys as binary names (dots), for {@link #hooks}. */
    private final Set<String> binaryNames = new HashSet<String>();
    private final List<Hook> netty = new ArrayList<Hook>();
    private final List<Hook> nettyResponseEncoder = new ArrayList<Hook>();

    private HookTable() {
    }

    /**
     * The hooks of the drain's write path, installed only once a drain begins: every write of the
     * JDK's sockets (NIO, NIO2, and JDK 13+ stream sockets), the plaintext of the JDK's TLS engine,
     * and the status line of Netty's HTTP/1.x responses (any transport, any TLS provider); and the
     * reads of the same sockets, which the drain only counts. See {@code StartServerAgentBridge}'s
     * write path.
     */
    static HookTable drainWrites() {
        HookTable t = new HookTable();
        String nd = "Lsun/nio/ch/NativeDispatcher;";
        // IOUtil's read and write of one buffer, and of several: the same parameters, passed on as they are
        String one = "(" + FD + "Ljava/nio/ByteBuffer;JZZI" + nd + ")I";
        String many = "(" + FD + "[Ljava/nio/ByteBuffer;IIZZI" + nd + ")J";
        Value[] oneArgs = {Value.ref(0), Value.ref(1), Value.longValue(2), Value.integer(4), Value.integer(5),
            Value.integer(6), Value.ref(7)};
        Value[] manyArgs = {Value.ref(0), Value.ref(1), Value.integer(2), Value.integer(3), Value.integer(4),
            Value.integer(5), Value.integer(6), Value.ref(7)};
        t.add(IO_UTIL, Hook.around(Group.DRAIN, "write", one, "ioWrite", one, oneArgs));
        t.add(IO_UTIL, Hook.around(Group.DRAIN, "write", many, "ioWriteGather", many, manyArgs));
        t.add(IO_UTIL, Hook.around(Group.DRAIN, "read", one, "ioRead", one, oneArgs));
        t.add(IO_UTIL, Hook.around(Group.DRAIN, "read", many, "ioReadScatter", many, manyArgs));
        t.add(NIO_SOCKET_IMPL, Hook.around(Group.DRAIN, "read", "([BII)I",
                "streamRead", "(Ljava/lang/Object;[BII)I", Value.ref(0), Value.ref(1), Value.integer(2), Value.integer(3)));
        t.add(NIO_SOCKET_IMPL, new Hook(Group.DRAIN, "write", "([BII)V",
                "streamWrite", "(Ljava/lang/Object;[BII)Z", Value.ref(0), Value.ref(1), Value.integer(2), Value.integer(3)));
        // the 4-argument wrap: every public wrap of SSLEngine arrives there
        t.add(SSL_ENGINE, Hook.around(Group.DRAIN, "wrap",
                "([Ljava/nio/ByteBuffer;IILjava/nio/ByteBuffer;)Ljavax/net/ssl/SSLEngineResult;",
                "tlsWrap", "(Ljavax/net/ssl/SSLEngine;[Ljava/nio/ByteBuffer;IILjava/nio/ByteBuffer;)"
                        + "Ljavax/net/ssl/SSLEngineResult;",
                Value.ref(0), Value.ref(1), Value.integer(2), Value.integer(3), Value.ref(4)));
        // the descriptor as Netty has it; shaded copies match with their own package prefix
        t.nettyResponseEncoder.add(new Hook(Group.DRAIN, "encodeInitialLine",
                "(Lio/netty/buffer/ByteBuf;Lio/netty/handler/codec/http/HttpResponse;)V",
                "nettyResponse", "(Ljava/lang/Object;)V", Value.ref(2)));
        return t;
    }

    HookTable(boolean withAcceptHooks) {
        this(withAcceptHooks, false);
    }

    /**
     * Hooks for the start-up: binds, and with a notify fd or a drain the accept side; with a drain
     * inside jsvc, the daemon's stop (jsvc keeps SIGTERM for itself and calls it instead).
     */
    static HookTable forStartUp(boolean withAcceptHooks, boolean withDrain, boolean insideJsvc) {
        HookTable table = new HookTable(withAcceptHooks, withDrain);
        if (withDrain && insideJsvc) {
            table.add(DAEMON_LOADER, new Hook(Group.DRAIN, "stop", "()Z", "daemonStopping", "()V"));
        }
        return table;
    }

    HookTable(boolean withAcceptHooks, boolean withDrain) {
        this();
        // ---- binds: adopt instead of binding
        add(NET, new Hook(Group.BIND, "bind", "(Ljava/net/ProtocolFamily;" + FD + "Ljava/net/InetAddress;I)V",
                "netBind", "(Ljava/net/ProtocolFamily;" + FD + "Ljava/net/InetAddress;I)Z",
                Value.ref(0), Value.ref(1), Value.ref(2), Value.integer(3)));
        add(PLAIN_SOCKET_IMPL, new Hook(Group.BIND, "bind", "(Ljava/net/InetAddress;I)V",
                "plainBind", "(Ljava/lang/Object;Ljava/net/InetAddress;I)Z",
                Value.ref(0), Value.ref(1), Value.integer(2)));
        add(UNIX_DOMAIN_SOCKETS, new Hook(Group.BIND, "bind", "(" + FD + "Ljava/nio/file/Path;)V",
                "unixBind", "(" + FD + "Ljava/lang/Object;)Z", Value.ref(0), Value.ref(1)));
        // The fd via this.intValue() in the hooked code itself: no reflection at bind time.
        netty.add(new Hook(Group.BIND, "bind", "(Ljava/net/SocketAddress;)V",
                "nettyBind", "(ILjava/net/SocketAddress;)Z", Value.thisCall("intValue", "()I"), Value.ref(1)));
        // ---- listener interest: learnt for readiness, held off OP_ACCEPT by the drain; the
        // bridge returns the (possibly reduced) ops, which replace the argument
        if (withDrain) {
            // which selectors exist, so the drain can read each connection's key: learnt once per
            // selector, as it is constructed, not on each registration (one per keep-alive
            // request in com.sun.net.httpserver)
            add(SELECTOR, Hook.atReturn(Group.ACCEPT, "<init>", "(Ljava/nio/channels/spi/SelectorProvider;)V",
                    "selectorOpened", "(Ljava/lang/Object;)V", Value.ref(0)));
            // which object owns each bound listener, so the drain can signal a thread blocked in
            // accept(2) on the shared socket (JDK 13+ ServerSocket; ServerSocketChannel)
            add(NIO_SOCKET_IMPL, new Hook(Group.BIND, "bind", "(Ljava/net/InetAddress;I)V",
                    "listenerBinding", "(Ljava/lang/Object;)V", Value.ref(0)));
            add(SERVER_SOCKET_CHANNEL, new Hook(Group.BIND, "bind",
                    "(Ljava/net/SocketAddress;I)Ljava/nio/channels/ServerSocketChannel;",
                    "listenerBinding", "(Ljava/lang/Object;)V", Value.ref(0)));
        }
        if (withAcceptHooks || withDrain) {
            add(SELECTION_KEY, new Hook(Group.ACCEPT, "interestOps", "(I)Ljava/nio/channels/SelectionKey;",
                    "interestSet", "(Ljava/nio/channels/SelectionKey;I)I", Value.ref(0), Value.integer(1)));
        }
        if (!withAcceptHooks) {
            return;
        }
        // ---- processes the app starts, reported to start_server until the JVM took a socket: such
        // a process inherits none of them (a server there cannot bind). The constructor has the
        // pid once it returns; (prog, argBlock, argc, envBlock, envc, dir, fds, [forceNullOutputStream,]
        // redirectErrorStream): JDK 8's UNIXProcess and JDK 9-10's ProcessImpl without the flag.
        for (String spawned : new String[] {"([B[BI[BI[B[IZZ)V", "([B[BI[BI[B[IZ)V"}) {
            for (String owner : new String[] {PROCESS_IMPL, UNIX_PROCESS}) {
                add(owner, Hook.atReturn(Group.ACCEPT, "<init>", spawned, "processStarted", "(I[B)V",
                        Value.thisField(owner, "pid", "I"), Value.ref(1)));
            }
        }
        // ---- accepts: only to learn when the app is serving (readiness)
        add(SERVER_SOCKET_CHANNEL, new Hook(Group.ACCEPT, "accept", "()Ljava/nio/channels/SocketChannel;",
                "acceptEntered", ACCEPT_ENTERED, Value.thisField(SERVER_SOCKET_CHANNEL, "fd", FD)));
        // JDK 13+: ServerSocket.accept with a timeout, via ServerSocketAdaptor
        add(SERVER_SOCKET_CHANNEL, new Hook(Group.ACCEPT, "blockingAccept", "(J)Ljava/nio/channels/SocketChannel;",
                "acceptEntered", ACCEPT_ENTERED, Value.thisField(SERVER_SOCKET_CHANNEL, "fd", FD)));
        add(NIO_SOCKET_IMPL, new Hook(Group.ACCEPT, "accept", "(Ljava/net/SocketImpl;)V",
                "acceptEntered", ACCEPT_ENTERED, Value.thisField("java/net/SocketImpl", "fd", FD)));
        add(PLAIN_SOCKET_IMPL, new Hook(Group.ACCEPT, "accept", "(Ljava/net/SocketImpl;)V",
                "acceptEntered", ACCEPT_ENTERED, Value.thisField("java/net/SocketImpl", "fd", FD)));
        add(ASYNC_SERVER_SOCKET_CHANNEL, new Hook(Group.ACCEPT, "accept", "()Ljava/util/concurrent/Future;",
                "acceptEntered", ACCEPT_ENTERED, Value.thisField(ASYNC_SERVER_SOCKET_CHANNEL, "fd", FD)));
        add(ASYNC_SERVER_SOCKET_CHANNEL, new Hook(Group.ACCEPT, "accept",
                "(Ljava/lang/Object;Ljava/nio/channels/CompletionHandler;)V",
                "acceptEntered", ACCEPT_ENTERED, Value.thisField(ASYNC_SERVER_SOCKET_CHANNEL, "fd", FD)));
        netty.add(new Hook(Group.ACCEPT, "listen", "(I)V", "nettyListening", "(I)V",
                Value.thisCall("intValue", "()I")));
        // a selector that has a listener's key with OP_ACCEPT accepts from its first select on
        add(SELECTOR, new Hook(Group.ACCEPT, "lockAndDoSelect", "(Ljava/util/function/Consumer;J)I",
                "selecting", "(Ljava/lang/Object;)V", Value.ref(0)));
        add(SELECTOR, new Hook(Group.ACCEPT, "lockAndDoSelect", "(J)I",
                "selecting", "(Ljava/lang/Object;)V", Value.ref(0)));
    }

    private void add(String owner, Hook hook) {
        List<Hook> hooks = byClass.get(owner);
        if (hooks == null) {
            hooks = new ArrayList<Hook>();
            byClass.put(owner, hooks);
            binaryNames.add(owner.replace('/', '.'));
        }
        hooks.add(hook);
    }

    /** The hooks for a class (internal name), empty for nearly every class: keep it cheap. */
    List<Hook> forClass(String internalName) {
        List<Hook> hooks = byClass.get(internalName);
        if (hooks != null) {
            return hooks;
        }
        if (!netty.isEmpty() && isNettySocket(internalName)) {
            return netty;
        }
        if (!nettyResponseEncoder.isEmpty() && hasSuffix(internalName, NETTY_RESPONSE_ENCODER_SUFFIX)) {
            return nettyResponseEncoder;
        }
        return Collections.<Hook>emptyList();
    }

    static boolean isNettySocket(String internalName) {
        return hasSuffix(internalName, NETTY_SOCKET_SUFFIX);
    }

    /** Named {@code suffix}, in any package prefix (a shaded copy), but not merely ending like it. */
    static boolean hasSuffix(String internalName, String suffix) {
        return hasSuffix(internalName, suffix, '/');
    }

    private static boolean hasSuffix(String name, String suffix, char separator) {
        int start = name.length() - suffix.length();
        if (start < 0 || start > 0 && name.charAt(start - 1) != separator) {
            return false;
        }
        for (int i = 0; i < suffix.length(); i++) {
            char c = suffix.charAt(i);
            if (name.charAt(start + i) != (c == '/' ? separator : c)) {
                return false;
            }
        }
        return true;
    }

    /** Whether a class outside the JDK (Netty's, commons-daemon's) is hooked: it must be able to call the bridge. */
    static boolean isOutsideTheJdk(String internalName) {
        return isNettySocket(internalName) || hasSuffix(internalName, NETTY_RESPONSE_ENCODER_SUFFIX)
                || internalName.equals(DAEMON_LOADER);
    }

    /** The classes hooked by their exact internal name; Netty's are hooked by a suffix of theirs. */
    Iterable<String> namedClasses() {
        return byClass.keySet();
    }

    /**
     * Whether a loaded class (binary name, dots) is one this table hooks. Asked of every class
     * loaded before premain, 7,600 in a Spring Boot boot from an AOT cache: it allocates nothing.
     */
    boolean hooks(String binaryName) {
        return binaryNames.contains(binaryName)
                || !netty.isEmpty() && hasSuffix(binaryName, NETTY_SOCKET_SUFFIX, '.')
                || !nettyResponseEncoder.isEmpty() && hasSuffix(binaryName, NETTY_RESPONSE_ENCODER_SUFFIX, '.');
    }
}
