package sun.nio.ch;

import static io.github.hotdeploy.agent.bootstrap.BridgeContract.*;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketImpl;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/*
 * !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
 * !!  NOT A JDK CLASS. Defined at run time by the start_server agent (server-starter-jvm) inside  !!
 * !!  java.base, package sun.nio.ch, in the BOOTSTRAP class loader.                              !!
 * !!                                                                                            !!
 * !!  JDK types only: the bootstrap loader cannot see the agent's classes. Instrumented JDK      !!
 * !!  methods call the static hooks below; the agent plugs its logic in through                 !!
 * !!  java.util.function types and reaches the JDK's socket internals through apply(). Nothing  !!
 * !!  here may throw into the JDK: every failure means "behave as without the agent".           !!
 * !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
 *
 * Source: agent/src/bridge/java in the server-starter-jvm repository; see docs/agent.md.
 * Compiled against JDK 17's java.base with -source/-target 8: it calls package-private members
 * of sun.nio.ch directly, which is why it lives here and why the agent needs no reflection on
 * them (on JDK 18+ every reflective call site costs start-up time).
 */
public final class StartServerAgentBridge implements Function<Object[], Object> {

    // The numbers exchanged with the agent (OP_*, *_BIND, ACCEPT_*, HANDOFF) are the compile-time
    // constants of the agent's BridgeContract, copied in by javac: no reference to it remains.

    private static final int OP_ACCEPT = 16;
    private static final int SOL_SOCKET = 1;      // Linux
    private static final int SO_ACCEPTCONN = 30;  // Linux

    // Returns true when the agent placed an inherited socket on the app's fd: skip the native bind.
    private static volatile Predicate<Object[]> binds;

    // Non-null only while the agent still waits for the app to accept on an adopted socket, so
    // that accept paths cost one volatile read once the generation is ready.
    private static volatile Consumer<Object[]> accepts;

    // The drain's view of OP_ACCEPT interest: it learns which keys stand for adopted listeners,
    // and once the drain has begun answers true to keep OP_ACCEPT off them. Consulted only when
    // OP_ACCEPT is being set, which is rare (listeners only), so it stays installed.
    private static volatile Predicate<Object[]> acceptInterest;

    // Every JDK selector opened once the drain is enabled, so that it can read each connection's
    // key: the JDK's interest is exact at once, where epoll's view lags until the selector's next
    // select. Weak: a closed, dropped selector goes away.
    private static volatile boolean trackSelectors;
    private static volatile java.lang.ref.WeakReference<?>[] selectors = new java.lang.ref.WeakReference<?>[0];
    // Server sockets bound while selectors are tracked (the drain is on): the drain reads which
    // thread of theirs is inside accept(2). Few, and only added to at bind time.
    private static volatile java.lang.ref.WeakReference<?>[] binders = new java.lang.ref.WeakReference<?>[0];

    static {
        Object slot = System.getProperties().remove(HANDOFF);
        if (slot instanceof Object[] && ((Object[]) slot).length == 1) {
            ((Object[]) slot)[0] = new StartServerAgentBridge();
        }
    }

    private StartServerAgentBridge() {
    }

    // ================================================================ hooks (called by the JDK)

    // from sun.nio.ch.Net.bind(ProtocolFamily, FileDescriptor, InetAddress, int)
    public static boolean netBind(ProtocolFamily family, FileDescriptor fd, InetAddress address, int port) {
        return bind(new Object[] {NET_BIND, fd, address, port, family});
    }

    // from java.net.AbstractPlainSocketImpl.bind(InetAddress, int)
    public static boolean plainBind(Object socketImpl, InetAddress address, int port) {
        return bind(new Object[] {PLAIN_BIND, socketImpl, address, port});
    }

    // from sun.nio.ch.UnixDomainSockets.bind(FileDescriptor, Path)
    public static boolean unixBind(FileDescriptor fd, Object path) {
        return bind(new Object[] {UNIX_BIND, fd, path});
    }

    // from io.netty.channel.unix.Socket.bind(SocketAddress), any (shaded) copy; fd = this.intValue()
    public static boolean nettyBind(int fd, SocketAddress address) {
        return bind(new Object[] {NETTY_BIND, fd, address});
    }

    // on entry of ServerSocketChannelImpl.bind(SocketAddress, int) and NioSocketImpl.bind(InetAddress, int)
    public static void listenerBinding(Object owner) {
        if (trackSelectors) {
            addBinder(owner);
        }
    }

    private static synchronized void addBinder(Object owner) {
        binders = withLive(binders, owner);
    }

    // The references still alive, plus one to o unless it is among them; a new array, so that
    // readers of the volatile fields never see one change.
    private static java.lang.ref.WeakReference<?>[] withLive(java.lang.ref.WeakReference<?>[] refs, Object o) {
        java.util.List<java.lang.ref.WeakReference<?>> live = new java.util.ArrayList<java.lang.ref.WeakReference<?>>();
        for (java.lang.ref.WeakReference<?> ref : refs) {
            Object known = ref.get();
            if (known == o) {
                return refs;
            }
            if (known != null) {
                live.add(ref);
            }
        }
        live.add(new java.lang.ref.WeakReference<Object>(o));
        return live.toArray(new java.lang.ref.WeakReference<?>[0]);
    }

    // on entry of ServerSocketChannelImpl.accept, NioSocketImpl.accept,
    // AbstractPlainSocketImpl.accept and AsynchronousServerSocketChannelImpl.accept
    public static void acceptEntered(FileDescriptor fd) {
        Consumer<Object[]> watcher = accepts;
        if (watcher != null) {
            watch(watcher, new Object[] {ACCEPT_ENTERED, fd});
        }
    }

    // on entry of SelectionKeyImpl.interestOps(int); the result replaces the argument
    public static int interestSet(SelectionKey key, int ops) {
        if ((ops & OP_ACCEPT) == 0) {
            return ops;
        }
        Consumer<Object[]> watcher = accepts;
        if (watcher != null) {
            watch(watcher, new Object[] {ACCEPT_INTEREST, key});
        }
        Predicate<Object[]> filter = acceptInterest;
        if (filter != null) {
            try {
                if (filter.test(new Object[] {key})) {
                    return ops & ~OP_ACCEPT;
                }
            } catch (Throwable ignored) {
                // The drain is best effort: the app's own interest goes through unchanged.
            }
        }
        return ops;
    }

    // before SelectorImpl(SelectorProvider) returns: once per selector, off every request's path
    public static void selectorOpened(Object selector) {
        if (trackSelectors) {
            addSelector(selector);
        }
    }

    private static synchronized void addSelector(Object selector) {
        selectors = withLive(selectors, selector);
    }

    // on entry of SelectorImpl.lockAndDoSelect (JDK 8: (J)I, 11+: (Consumer;J)I): a selector
    // whose key has OP_ACCEPT is only accepting once it selects
    public static void selecting(Object selector) {
        Consumer<Object[]> watcher = accepts;
        if (watcher != null) {
            watch(watcher, new Object[] {SELECTING, selector});
        }
    }

    // on entry of io.netty.channel.unix.Socket.listen(int); fd = this.intValue()
    public static void nettyListening(int fd) {
        Consumer<Object[]> watcher = accepts;
        if (watcher != null) {
            watch(watcher, new Object[] {NETTY_LISTEN, fd});
        }
    }

    // Each process the application starts while the agent wants to know (until the JVM took a
    // socket): that process inherits none of the sockets. Non-null only until then.
    private static volatile Consumer<Object[]> processes;

    // before java.lang.ProcessImpl's (JDK 8: UNIXProcess's) constructor returns: the child runs
    public static void processStarted(int pid, byte[] program) {
        Consumer<Object[]> watcher = processes;
        if (watcher != null) {
            watch(watcher, new Object[] {pid, program});
        }
    }

    // Under jsvc, which handles SIGTERM natively and then calls the daemon's stop() through JNI:
    // the drain, run once on that thread before the application's stop.
    private static volatile Runnable daemonStop;

    // on entry of org.apache.commons.daemon.support.DaemonLoader.stop()
    public static void daemonStopping() {
        Runnable drain = daemonStop;
        if (drain != null) {
            daemonStop = null;
            try {
                drain.run();
            } catch (Throwable ignored) {
                // The drain is best effort: the application's stop runs whatever happened.
            }
        }
    }

    // ================================================================ the drain's write path
    //
    // Hooked (by retransformation) only once a drain has begun, and then consulted only for the
    // connections the drain follows: every other write of the JVM costs one array read. For a
    // followed connection the agent's editor says what to write instead of the app's bytes (or
    // nothing: the app's bytes as they are); the bridge writes, through the same JDK method (the
    // hook lets its own call through), tells the editor how much left, and answers the app with
    // the count of the app's own bytes. See the agent's drain.http.WriteEditor.

    private static volatile Function<Object[], Object> writes;
    private static volatile boolean[] followed = new boolean[0];
    // Set while the bridge itself writes: the hooked method lets that call through.
    private static final ThreadLocal<Object> INNER = new ThreadLocal<Object>();
    private static volatile Field socketImplFd;
    private static volatile Method streamWriter;
    private static volatile Method streamReader;

    // on entry of IOUtil.write(FileDescriptor, ByteBuffer, long, boolean, boolean, int, NativeDispatcher)
    public static int ioWrite(FileDescriptor fd, ByteBuffer src, long position, boolean directIO, boolean async,
            int alignment, NativeDispatcher nd) throws IOException {
        Function<Object[], Object> w = writes;
        if (w == null || position != -1 || !isFollowed(fd) || INNER.get() != null) {
            return Integer.MIN_VALUE;
        }
        Object[] prepared = prepare(w, new Object[] {WRITE_BUFFER, fd, src});
        if (prepared == null) {
            return Integer.MIN_VALUE;
        }
        byte[] replacement = (byte[]) prepared[1];
        int n;
        INNER.set(Boolean.TRUE);
        try {
            n = IOUtil.write(fd, replacement == null ? src : ByteBuffer.wrap(replacement), -1, directIO, async,
                    alignment, nd);
        } finally {
            INNER.remove();
        }
        long consumed = done(w, prepared[0], n, replacement == null);
        if (replacement != null && consumed > 0) {
            src.position(src.position() + (int) consumed);
        }
        return (int) answer(n, consumed);
    }

    // on entry of IOUtil.write(FileDescriptor, ByteBuffer[], int, int, boolean, boolean, int, NativeDispatcher)
    public static long ioWriteGather(FileDescriptor fd, ByteBuffer[] bufs, int offset, int length, boolean directIO,
            boolean async, int alignment, NativeDispatcher nd) throws IOException {
        Function<Object[], Object> w = writes;
        if (w == null || !isFollowed(fd) || INNER.get() != null) {
            return Long.MIN_VALUE;
        }
        Object[] prepared = prepare(w, new Object[] {WRITE_BUFFERS, fd, bufs, offset, length});
        if (prepared == null) {
            return Long.MIN_VALUE;
        }
        byte[] replacement = (byte[]) prepared[1];
        long n;
        INNER.set(Boolean.TRUE);
        try {
            n = replacement == null ? IOUtil.write(fd, bufs, offset, length, directIO, async, alignment, nd)
                    : IOUtil.write(fd, ByteBuffer.wrap(replacement), -1, false, async, -1, nd);
        } finally {
            INNER.remove();
        }
        long consumed = done(w, prepared[0], n, replacement == null);
        if (replacement != null) {
            advance(bufs, offset, length, consumed);
        }
        return answer(n, consumed);
    }

    // on entry of IOUtil.read(FileDescriptor, ByteBuffer, long, boolean, boolean, int, NativeDispatcher):
    // the drain only learns that a followed connection received bytes (what its client is doing)
    public static int ioRead(FileDescriptor fd, ByteBuffer dst, long position, boolean directIO, boolean async,
            int alignment, NativeDispatcher nd) throws IOException {
        Function<Object[], Object> w = writes;
        if (w == null || position != -1 || !isFollowed(fd) || INNER.get() != null) {
            return Integer.MIN_VALUE;
        }
        int n;
        INNER.set(Boolean.TRUE);
        try {
            n = IOUtil.read(fd, dst, position, directIO, async, alignment, nd);
        } finally {
            INNER.remove();
        }
        readDone(w, fd, n);
        return n;
    }

    // on entry of IOUtil.read(FileDescriptor, ByteBuffer[], int, int, boolean, boolean, int, NativeDispatcher)
    public static long ioReadScatter(FileDescriptor fd, ByteBuffer[] bufs, int offset, int length, boolean directIO,
            boolean async, int alignment, NativeDispatcher nd) throws IOException {
        Function<Object[], Object> w = writes;
        if (w == null || !isFollowed(fd) || INNER.get() != null) {
            return Long.MIN_VALUE;
        }
        long n;
        INNER.set(Boolean.TRUE);
        try {
            n = IOUtil.read(fd, bufs, offset, length, directIO, async, alignment, nd);
        } finally {
            INNER.remove();
        }
        readDone(w, fd, n);
        return n;
    }

    // on entry of NioSocketImpl.read(byte[], int, int) (JDK 13+ sockets)
    public static int streamRead(Object impl, byte[] b, int off, int len) throws IOException {
        Function<Object[], Object> w = writes;
        if (w == null || INNER.get() != null) {
            return Integer.MIN_VALUE;
        }
        Method read;
        FileDescriptor fd;
        try {
            if (streamReader == null) {
                socketImplFd = field("fd");
                Method m = impl.getClass().getDeclaredMethod("read", byte[].class, int.class, int.class);
                m.setAccessible(true); // same module (java.base): always allowed
                streamReader = m;
            }
            read = streamReader;
            fd = (FileDescriptor) socketImplFd.get(impl);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Integer.MIN_VALUE;
        }
        if (!isFollowed(fd)) {
            return Integer.MIN_VALUE;
        }
        int n = (Integer) invokeStream(read, impl, b, off, len);
        readDone(w, fd, n);
        return n;
    }

    private static void readDone(Function<Object[], Object> w, FileDescriptor fd, long n) {
        if (n > 0) {
            try {
                w.apply(new Object[] {READ_DONE, fd, n});
            } catch (Throwable ignored) {
                // only an observation
            }
        }
    }

    // on entry of NioSocketImpl.write(byte[], int, int), which writes all or throws (JDK 13+ sockets)
    public static boolean streamWrite(Object impl, byte[] b, int off, int len) throws IOException {
        Function<Object[], Object> w = writes;
        if (w == null || len <= 0 || INNER.get() != null) {
            return false;
        }
        Method write;
        FileDescriptor fd;
        try {
            if (streamWriter == null) {
                socketImplFd = field("fd");
                Method m = impl.getClass().getDeclaredMethod("write", byte[].class, int.class, int.class);
                m.setAccessible(true); // same module (java.base): always allowed
                streamWriter = m;
            }
            write = streamWriter;
            fd = (FileDescriptor) socketImplFd.get(impl);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
        if (!isFollowed(fd)) {
            return false;
        }
        Object[] prepared = prepare(w, new Object[] {WRITE_ARRAY, fd, b, off, len});
        if (prepared == null) {
            return false;
        }
        byte[] replacement = (byte[]) prepared[1];
        invokeStream(write, impl, replacement == null ? b : replacement, replacement == null ? off : 0,
                replacement == null ? len : replacement.length);
        long consumed = done(w, prepared[0], replacement == null ? len : replacement.length, replacement == null);
        if (consumed < len) {
            // the editor stopped at the end of a response that closes the connection and half-closed
            // it: the rest fails as on any closed socket (EPIPE), in the app's own write
            invokeStream(write, impl, b, off + (int) consumed, len - (int) consumed);
        }
        return true;
    }

    /** NioSocketImpl's own read or write, past our hook, its exceptions as the app would see them. */
    private static Object invokeStream(Method m, Object impl, byte[] b, int off, int len) throws IOException {
        INNER.set(Boolean.TRUE);
        try {
            return m.invoke(impl, b, off, len);
        } catch (java.lang.reflect.InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new IOException(cause);
        } catch (IllegalAccessException e) {
            throw new IOException(e);
        } finally {
            INNER.remove();
        }
    }

    // on entry of SSLEngineImpl.wrap(ByteBuffer[], int, int, ByteBuffer), where every public wrap of
    // SSLEngine arrives: the plaintext of every server-side TLS connection of the JDK's provider
    public static javax.net.ssl.SSLEngineResult tlsWrap(javax.net.ssl.SSLEngine engine, ByteBuffer[] srcs, int offset,
            int length, ByteBuffer dst) throws javax.net.ssl.SSLException {
        Function<Object[], Object> w = writes;
        if (w == null || INNER.get() != null || engine.getUseClientMode()) {
            return null;
        }
        Object[] prepared = prepare(w, new Object[] {WRITE_TLS, engine, srcs, offset, length});
        if (prepared == null) {
            return null;
        }
        byte[] replacement = (byte[]) prepared[1];
        javax.net.ssl.SSLEngineResult r;
        INNER.set(Boolean.TRUE);
        try {
            r = replacement == null ? engine.wrap(srcs, offset, length, dst)
                    : engine.wrap(new ByteBuffer[] {ByteBuffer.wrap(replacement)}, 0, 1, dst);
        } finally {
            INNER.remove();
        }
        long consumed = done(w, prepared[0], r.bytesConsumed(), replacement == null);
        if (replacement == null) {
            return r;
        }
        advance(srcs, offset, length, consumed);
        return new javax.net.ssl.SSLEngineResult(r.getStatus(), r.getHandshakeStatus(), (int) consumed,
                r.bytesProduced(), r.sequenceNumber());
    }

    // on entry of io.netty.handler.codec.http.HttpResponseEncoder.encodeInitialLine(ByteBuf, HttpResponse),
    // any (shaded) copy: before the response's headers are encoded, whatever transport or TLS follows
    public static void nettyResponse(Object response) {
        Function<Object[], Object> w = writes;
        if (w != null) {
            try {
                w.apply(new Object[] {NETTY_RESPONSE, response});
            } catch (Throwable ignored) {
                // the response goes out as the app made it
            }
        }
    }

    private static boolean isFollowed(FileDescriptor fd) {
        boolean[] f = followed;
        if (f.length == 0 || fd == null) {
            return false;
        }
        int n = IOUtil.fdVal(fd);
        return n >= 0 && n < f.length && f[n];
    }

    private static Object[] prepare(Function<Object[], Object> w, Object[] write) {
        try {
            return (Object[]) w.apply(write);
        } catch (Throwable t) {
            return null; // the write goes out as the app made it
        }
    }

    // How many of the app's bytes left; if the editor cannot say, all that left when they were the
    // app's own, else none (its state is then lost, and the rest of the stream goes out as it is).
    private static long done(Function<Object[], Object> w, Object handle, long written, boolean appsOwnBytes) {
        try {
            return (Long) w.apply(new Object[] {WRITE_DONE, handle, written});
        } catch (Throwable t) {
            return appsOwnBytes ? Math.max(written, 0) : 0;
        }
    }

    // What IOUtil.write answers: a status as it came; none of the app's bytes left although some of
    // ours did: "would block", so that a blocking caller waits for POLLOUT and writes again.
    private static long answer(long written, long consumed) {
        if (written < 0) {
            return written;
        }
        return consumed == 0 && written > 0 ? IOStatus.UNAVAILABLE : consumed;
    }

    private static void advance(ByteBuffer[] bufs, int offset, int length, long count) {
        for (int i = offset; i < offset + length && count > 0; i++) {
            int n = (int) Math.min(count, bufs[i].remaining());
            bufs[i].position(bufs[i].position() + n);
            count -= n;
        }
    }

    // poll(POLLRDHUP): the peer has closed its side (read or not), or the connection is gone
    private static boolean peerClosed(FileDescriptor fd) throws IOException {
        int revents = Net.poll(fd, POLLRDHUP, 0);
        return (revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
    }

    private static final int POLLRDHUP = 0x2000; // Linux
    private static final int POLLERR = 0x8;
    private static final int POLLHUP = 0x10;

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

    // ================================================================ operations (for the agent)

    /** Runs one operation; IOExceptions come back wrapped in UncheckedIOException. */
    @Override
    @SuppressWarnings("unchecked")
    public Object apply(Object[] op) {
        try {
            switch ((Integer) op[0]) {
                case OP_SET_BINDS:
                    binds = (Predicate<Object[]>) op[1];
                    return null;
                case OP_SET_ACCEPTS:
                    accepts = (Consumer<Object[]>) op[1];
                    return null;
                case OP_SET_PROCESSES:
                    processes = (Consumer<Object[]>) op[1];
                    return null;
                case OP_SET_DAEMON_STOP:
                    daemonStop = (Runnable) op[1];
                    return null;
                case OP_SET_INTEREST_FILTER:
                    acceptInterest = (Predicate<Object[]>) op[1];
                    return null;
                case OP_SHUTDOWN_OUTPUT:
                    Net.shutdown((FileDescriptor) op[1], Net.SHUT_WR);
                    return null;
                case OP_TRACK_SELECTORS:
                    trackSelectors = (Boolean) op[1];
                    return null;
                case OP_SELECTORS: {
                    java.util.List<Object> live = new java.util.ArrayList<Object>();
                    for (java.lang.ref.WeakReference<?> ref : selectors) {
                        Object selector = ref.get();
                        if (selector != null) {
                            live.add(selector);
                        }
                    }
                    return live;
                }
                case OP_AVAILABLE:
                    return available((FileDescriptor) op[1]);
                case OP_EPOLL_CTL:
                    return epollCtl((Integer) op[1], (Integer) op[2], (Integer) op[3], (Integer) op[4]);
                case OP_RELEASE_ACCEPTOR:
                    return releaseAcceptor((Integer) op[1]);
                case OP_SET_WRITES:
                    writes = (Function<Object[], Object>) op[1];
                    return null;
                case OP_FOLLOW_FDS:
                    followed = (boolean[]) op[1];
                    return null;
                case OP_PEER_CLOSED:
                    return peerClosed((FileDescriptor) op[1]);
                case OP_FD_VAL:
                    return IOUtil.fdVal((FileDescriptor) op[1]);
                case OP_NEW_FD:
                    return IOUtil.newFD((Integer) op[1]);
                case OP_CONFIGURE_BLOCKING:
                    IOUtil.configureBlocking((FileDescriptor) op[1], (Boolean) op[2]);
                    return null;
                case OP_LOCAL_ADDRESS:
                    return Net.localAddress((FileDescriptor) op[1]);
                case OP_UNIX_LOCAL_PATH:
                    return unixLocalPath((FileDescriptor) op[1]);
                case OP_SOCKET_TYPE:
                    resolveNatives();
                    return (int) soType.invokeExact((int) (Integer) op[1]);
                case OP_IS_LISTENING:
                    resolveNatives();
                    return (int) getIntOption.invokeExact((FileDescriptor) op[1], false, SOL_SOCKET,
                            SO_ACCEPTCONN) != 0;
                case OP_DUP2:
                    resolveNatives();
                    dup2.invokeExact((int) (Integer) op[1], (int) (Integer) op[2]);
                    return null;
                case OP_PROBE_NET_BIND:
                    Net.bind(StandardProtocolFamily.INET, (FileDescriptor) op[1], InetAddress.getLoopbackAddress(), 0);
                    return null;
                case OP_CHANNEL_FD:
                    return ((SelChImpl) (op[1] instanceof SelectionKey ? ((SelectionKey) op[1]).channel() : op[1]))
                            .getFD();
                case OP_SOCKET_IMPL_FD:
                    return field("fd").get(op[1]);
                case OP_MARK_PLAIN_BOUND:
                    markPlainBound(op[1], (InetAddress) op[2], (Integer) op[3]);
                    return null;
                default:
                    throw new IllegalArgumentException("unknown bridge operation " + op[0]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    // FIONREAD; -1 before JDK 13, which has no such native in Net.
    private static int available(FileDescriptor fd) throws IOException {
        try {
            return Net.available(fd);
        } catch (LinkageError beforeJdk13) {
            return -1;
        }
    }

    // epoll_ctl(epfd, op, fd, {events, data.fd = fd}) through the JDK's own native (JDK 11+: before,
    // EPoll has epollCtl instead, and the LinkageError says so). 0 or the errno, never an exception
    // from the kernel's side. The drain uses it on epoll sets it does not own (Netty's native
    // transport, EPollPort) to silence an adopted listener without deregistering it.
    private static int epollCtl(int epfd, int op, int fd, int events) {
        try {
            return EPoll.ctl(epfd, op, fd, events);
        } catch (LinkageError beforeJdk11) {
            throw new UnsupportedOperationException("no sun.nio.ch.EPoll.ctl in this JDK");
        }
    }

    // A thread inside accept(2) holds the file the fd number named when it entered, whatever the
    // number names now. After the drain has put a dummy under that number, the JDK's own signal
    // (the one close() uses; its handler is installed without SA_RESTART) gets the thread out with
    // EINTR; NioSocketImpl and ServerSocketChannelImpl then retry on the fd number: the dummy.
    // Read under the owner's stateLock, which the accepting thread holds when it records itself, so
    // a 0 means it enters accept(2) only after the dup2, on the dummy. Returns how many were signalled.
    private static int releaseAcceptor(int fdVal) throws ReflectiveOperationException {
        int signalled = 0;
        for (java.lang.ref.WeakReference<?> ref : binders) {
            Object owner = ref.get();
            if (owner == null) {
                continue;
            }
            boolean channel = owner instanceof ServerSocketChannelImpl;
            FileDescriptor fd = channel ? ((ServerSocketChannelImpl) owner).getFD() : (FileDescriptor) field("fd").get(owner);
            if (fd == null || IOUtil.fdVal(fd) != fdVal) {
                continue;
            }
            Class<?> type = channel ? ServerSocketChannelImpl.class : owner.getClass();
            Object stateLock = declared(type, "stateLock").get(owner);
            Field threadField = declared(type, channel ? "thread" : "readerThread");
            long thread;
            synchronized (stateLock) {
                thread = threadField.getLong(owner);
            }
            if (thread != 0 && thread != -1) { // -1: a virtual thread (JDK 21+), parked, not in accept(2)
                NativeThread.signal(thread);
                signalled++;
            }
        }
        return signalled;
    }

    private static Field declared(Class<?> owner, String name) throws NoSuchFieldException {
        Field field = owner.getDeclaredField(name);
        field.setAccessible(true); // same module (java.base): always allowed
        return field;
    }

    private static String unixLocalPath(FileDescriptor fd) throws IOException {
        try {
            SocketAddress address = UnixDomainSockets.localAddress(fd);
            return address == null ? null : address.toString();
        } catch (LinkageError beforeJdk16) {
            return null;
        }
    }

    // Private natives of the JDK as direct method handles: on JDK 18+ each reflective call site
    // generates accessor classes (start-up time); an exactly invoked direct handle mostly does
    // not. Resolved on first use. (No nested class: it would need defining in java.base too.)
    private static MethodHandle soType;
    private static MethodHandle dup2;
    private static MethodHandle getIntOption;

    private static synchronized void resolveNatives() throws ReflectiveOperationException {
        if (soType == null) {
            getIntOption = unreflect(Net.class, "getIntOption0", FileDescriptor.class, boolean.class, int.class,
                    int.class);
            dup2 = unreflect(InheritedChannel.class, "dup2", int.class, int.class);
            soType = unreflect(InheritedChannel.class, "soType0", int.class);
        }
    }

    private static MethodHandle unreflect(Class<?> owner, String name, Class<?>... types)
            throws ReflectiveOperationException {
        Method method = owner.getDeclaredMethod(name, types);
        method.setAccessible(true); // same module (java.base): always allowed
        return MethodHandles.lookup().unreflect(method);
    }

    private static Field field(String name) throws NoSuchFieldException {
        Field field = SocketImpl.class.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }

    // What PlainSocketImpl's native bind records; nothing else reads the socket back.
    private static void markPlainBound(Object impl, InetAddress address, int localPort)
            throws ReflectiveOperationException {
        field("address").set(impl, address);
        field("localport").setInt(impl, localPort);
        try {
            Field isBound = Class.forName("java.net.AbstractPlainSocketImpl").getDeclaredField("isBound");
            isBound.setAccessible(true);
            if (isBound.getDeclaringClass().isInstance(impl)) {
                isBound.setBoolean(impl, true);
            }
        } catch (ClassNotFoundException | NoSuchFieldException noPlainImpl) {
            // JDK 18+: no such class; nothing to mark
        }
    }
}
