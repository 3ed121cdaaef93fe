package io.github.hotdeploy.agent.bootstrap;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;

/**
 * The JDK's own natives and internals that let the agent work on file descriptors without JNI:
 * everything the JDK already has for {@code System.inheritedChannel()} and NIO.
 *
 * <p>Reflection works because {@link BridgeInstaller} opened {@code sun.nio.ch} and
 * {@code java.net} to the agent's private module first. Plain {@code Method.invoke} rather than
 * method handles: it spins no lambda forms, which matters for start-up time.
 */
public final class JdkInternals {

    /** {@code SO_TYPE} values as {@code InheritedChannel.soType0} reports them (-1: not a socket). */
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;

    // Linux values; the agent targets Linux (start_server hands sockets over by fd inheritance).
    private static final int SOL_SOCKET = 1;
    private static final int SO_ACCEPTCONN = 30;

    private final Method dup2;
    private final Method soType;
    private final Method fdVal;
    private final Method newFd;
    private final Method configureBlocking;
    private final Method getIntOption;
    private final Method localAddress;
    private final Method netBind;
    private final Method unixLocalAddress; // null before JDK 16
    private final Method selChGetFd;
    private final Field socketImplFd;
    private final Field socketImplAddress;
    private final Field socketImplLocalPort;
    private final Field plainIsBound; // null when the JDK has no AbstractPlainSocketImpl

    JdkInternals() throws ReflectiveOperationException {
        Class<?> inherited = Class.forName("sun.nio.ch.InheritedChannel");
        Class<?> ioUtil = Class.forName("sun.nio.ch.IOUtil");
        Class<?> net = Class.forName("sun.nio.ch.Net");
        dup2 = method(inherited, "dup2", int.class, int.class);
        soType = method(inherited, "soType0", int.class);
        fdVal = method(ioUtil, "fdVal", FileDescriptor.class);
        newFd = method(ioUtil, "newFD", int.class);
        configureBlocking = method(ioUtil, "configureBlocking", FileDescriptor.class, boolean.class);
        getIntOption = method(net, "getIntOption0", FileDescriptor.class, boolean.class, int.class, int.class);
        localAddress = method(net, "localAddress", FileDescriptor.class);
        netBind = method(net, "bind", ProtocolFamily.class, FileDescriptor.class, InetAddress.class, int.class);
        unixLocalAddress = optionalMethod("sun.nio.ch.UnixDomainSockets", "localAddress", FileDescriptor.class);
        selChGetFd = method(Class.forName("sun.nio.ch.SelChImpl"), "getFD");
        socketImplFd = field(java.net.SocketImpl.class, "fd");
        socketImplAddress = field(java.net.SocketImpl.class, "address");
        socketImplLocalPort = field(java.net.SocketImpl.class, "localport");
        Field isBound;
        try {
            isBound = field(Class.forName("java.net.AbstractPlainSocketImpl"), "isBound");
        } catch (ClassNotFoundException | NoSuchFieldException e) {
            isBound = null;
        }
        plainIsBound = isBound;
    }

    public void dup2(int from, int to) throws IOException {
        invoke(dup2, null, from, to);
    }

    /** {@link #SOCK_STREAM}, {@link #SOCK_DGRAM}, another SO_TYPE, or -1 when fd is no socket. */
    public int socketType(int fd) {
        try {
            return (Integer) invoke(soType, null, fd);
        } catch (IOException e) {
            return -1;
        }
    }

    public boolean isListening(FileDescriptor fd) {
        try {
            return (Integer) invoke(getIntOption, null, fd, false, SOL_SOCKET, SO_ACCEPTCONN) != 0;
        } catch (IOException e) {
            return false;
        }
    }

    public int fdVal(FileDescriptor fd) {
        try {
            return (Integer) invoke(fdVal, null, fd);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A FileDescriptor for an fd number. It owns nothing: no cleaner ever closes it. */
    public FileDescriptor newFd(int fd) {
        try {
            return (FileDescriptor) invoke(newFd, null, fd);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public void configureBlocking(FileDescriptor fd, boolean blocking) throws IOException {
        invoke(configureBlocking, null, fd, blocking);
    }

    public InetSocketAddress localAddress(FileDescriptor fd) throws IOException {
        return (InetSocketAddress) invoke(localAddress, null, fd);
    }

    /** The bound path of a unix socket, or null when this JDK cannot tell (before 16). */
    public String unixLocalPath(FileDescriptor fd) throws IOException {
        if (unixLocalAddress == null) {
            return null;
        }
        SocketAddress address = (SocketAddress) invoke(unixLocalAddress, null, fd);
        return address == null ? null : address.toString();
    }

    /** Calls the (instrumented) {@code Net.bind}: used once at start-up to prove the hook works. */
    public void netBind(ProtocolFamily family, FileDescriptor fd, InetAddress address, int port) throws IOException {
        invoke(netBind, null, family, fd, address, port);
    }

    public FileDescriptor channelFd(SelectionKey key) {
        try {
            return (FileDescriptor) invoke(selChGetFd, key.channel());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    public FileDescriptor socketImplFd(Object socketImpl) throws IOException {
        return (FileDescriptor) get(socketImplFd, socketImpl);
    }

    /** What the native bind of PlainSocketImpl would have recorded. */
    public void markPlainSocketImplBound(Object socketImpl, InetAddress address, int localPort) throws IOException {
        set(socketImplAddress, socketImpl, address);
        set(socketImplLocalPort, socketImpl, localPort);
        if (plainIsBound != null && plainIsBound.getDeclaringClass().isInstance(socketImpl)) {
            set(plainIsBound, socketImpl, true);
        }
    }

    private static Method method(Class<?> owner, String name, Class<?>... parameters) throws NoSuchMethodException {
        Method method = owner.getDeclaredMethod(name, parameters);
        method.setAccessible(true);
        return method;
    }

    private static Method optionalMethod(String owner, String name, Class<?>... parameters) {
        try {
            return method(Class.forName(owner), name, parameters);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    private static Field field(Class<?> owner, String name) throws NoSuchFieldException {
        Field field = owner.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }

    private static Object invoke(Method method, Object target, Object... args) throws IOException {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            throw new IOException(method.getName() + " failed: " + cause, cause);
        } catch (IllegalAccessException e) {
            throw new IOException(method.getName() + " is not accessible: " + e.getMessage(), e);
        }
    }

    private static Object get(Field field, Object target) throws IOException {
        try {
            return field.get(target);
        } catch (IllegalAccessException e) {
            throw new IOException(field.getName() + " is not accessible: " + e.getMessage(), e);
        }
    }

    private static void set(Field field, Object target, Object value) throws IOException {
        try {
            field.set(target, value);
        } catch (IllegalAccessException e) {
            throw new IOException(field.getName() + " is not accessible: " + e.getMessage(), e);
        }
    }
}
