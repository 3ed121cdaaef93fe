package io.github.hotdeploy.agent.drain;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Whether a connection's peer spoke last, from the kernel's {@code tcp_info}: a request that has
 * arrived and has not been answered. This is what tells a busy connection from an idle keep-alive
 * one in a server that keeps read interest while it works on a request (Netty answering from
 * another task: to epoll and /proc both look alike, waiting for input, nothing unread).
 *
 * <p>The JDK has no way to read {@code tcp_info} (its natives read int options only), so this
 * borrows Netty's: {@code io.netty.channel.unix.Socket.getRawOptArray(fd, level, name, byte[],
 * off, len)}, a static native of netty-transport-native-unix-common (4.1.79 and later, any shaded
 * copy), usable once Netty's native transport has loaded its library. An app on Netty's NIO
 * transport needs it as much (Netty keeps read interest there too) but has not loaded it: where
 * the app ships netty-transport-native-epoll, the drain loads it at TERM through the app's own
 * class loader ({@code Epoll.isAvailable()}). Without it, in a JVM that runs Netty's NIO
 * transport (Vert.x and Quarkus by default), "don't know" counts as owed: an idle keep-alive
 * connection cannot be told from one whose request another task is still answering, and only
 * the second mistake fails a request (found by the restart harness's in-flight check on Vert.x:
 * the connection was left to the app's shutdown after the grace period and the request got no
 * answer). Elsewhere "don't know" is false and the drain judges by its other signs.
 *
 * <p>Owed: data arrived ({@code tcpi_bytes_received > 0}) and either nothing was ever sent back
 * ({@code tcpi_data_segs_out} and {@code tcpi_bytes_acked} 0: the first request of a connection, still unanswered), or the
 * last data arrived later than the last data left ({@code tcpi_last_data_recv <
 * tcpi_last_data_sent}, both in ms ago, at the kernel's jiffy resolution). A request that arrives
 * within the same jiffy (1-10 ms) in which the previous answer left is not seen: the drain then
 * judges by its other signs, as before.
 */
public final class TcpExchange {

    private static final int IPPROTO_TCP = 6;
    private static final int TCP_INFO = 11;
    // Offsets in struct tcp_info (linux/tcp.h; Linux 4.6+ for tcpi_data_segs_out)
    private static final int LAST_DATA_SENT = 44;
    private static final int LAST_DATA_RECV = 52;
    private static final int BYTES_ACKED = 120;
    private static final int BYTES_RECEIVED = 128;
    private static final int DATA_SEGS_OUT = 156;
    private static final int SIZE = 160;

    private static volatile Instrumentation instrumentation;

    TcpExchange() {
    }

    private boolean resolved;
    private Method getRawOptArray;
    /** Netty's NIO transport runs in this JVM. */
    private boolean nettyNio;

    /** Lets the drain find Netty's socket class (shaded or not) among the loaded classes. */
    public static void useLoadedClassesOf(Instrumentation inst) {
        instrumentation = inst;
    }

    /**
     * True when the peer's last data is not answered yet; false when not. When tcp_info cannot be
     * read: true where Netty's NIO transport runs ({@link #blind()}), false elsewhere.
     */
    boolean answerOwed(int fd) {
        byte[] info = tcpInfo(fd);
        if (info == null) {
            return blind();
        }
        if (u64(info, BYTES_RECEIVED) == 0) {
            return false; // nothing asked yet
        }
        if (u32(info, DATA_SEGS_OUT) == 0 && u64(info, BYTES_ACKED) == 0) {
            return true; // nothing ever sent back (before Linux 4.6 the first count stays 0: hence both)
        }
        return u32(info, LAST_DATA_RECV) < u32(info, LAST_DATA_SENT);
    }

    private byte[] tcpInfo(int fd) {
        Method method = resolve();
        if (method == null) {
            return null;
        }
        byte[] info = new byte[SIZE];
        try {
            method.invoke(null, fd, IPPROTO_TCP, TCP_INFO, info, 0, info.length);
            return info;
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof LinkageError) {
                getRawOptArray = null; // Netty's library is not loaded in this JVM after all
            }
            return null; // closed meanwhile, or not TCP
        } catch (Exception | LinkageError e) {
            getRawOptArray = null;
            return null;
        }
    }

    /**
     * Whether Netty's NIO transport runs in this JVM without a readable tcp_info: a quiet
     * connection waiting to read may still owe an answer. Known after the first {@link #answerOwed}.
     */
    boolean blind() {
        return nettyNio && getRawOptArray == null;
    }

    private Method resolve() {
        if (resolved) {
            return getRawOptArray;
        }
        resolved = true;
        Instrumentation inst = instrumentation;
        if (inst == null) {
            return null;
        }
        Method found = findRawOpt(inst.getAllLoadedClasses());
        if (found == null) {
            // Netty on its NIO transport keeps read interest while another task answers, so only
            // tcp_info tells; where the app ships netty-transport-native-epoll, load it now
            // (at TERM only) through the app's own loader, and look again.
            for (Class<?> type : inst.getAllLoadedClasses()) {
                String name = type.getName();
                if (name.endsWith("io.netty.channel.nio.NioEventLoop") || name.endsWith("io.netty.channel.nio.NioIoHandler")) {
                    nettyNio = true;
                    String prefix = name.substring(0, name.indexOf("io.netty."));
                    try {
                        ClassLoader loader = type.getClassLoader();
                        Class<?> epollClass = Class.forName(prefix + "io.netty.channel.epoll.Epoll", true, loader);
                        if (Boolean.TRUE.equals(epollClass.getMethod("isAvailable").invoke(null))) {
                            found = findRawOpt(new Class<?>[] {
                                Class.forName(prefix + "io.netty.channel.unix.Socket", true, loader)});
                        }
                    } catch (Exception | LinkageError noNative) {
                        // no epoll jar, or no native for this platform: unknown, as before
                    }
                    break;
                }
            }
        }
        getRawOptArray = found;
        return found;
    }

    private static Method findRawOpt(Class<?>[] loaded) {
        for (Class<?> type : loaded) {
            String name = type.getName();
            if (name.equals("io.netty.channel.unix.Socket") || name.endsWith(".io.netty.channel.unix.Socket")) {
                try {
                    Method m = type.getDeclaredMethod("getRawOptArray", int.class, int.class, int.class, byte[].class,
                            int.class, int.class);
                    m.setAccessible(true);
                    return m;
                } catch (Exception | LinkageError notThisOne) {
                    // an older Netty, or a named module that does not open it: try the next copy
                }
            }
        }
        return null;
    }

    // struct tcp_info is in the machine's byte order
    private static long u32(byte[] b, int offset) {
        return ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getInt(offset) & 0xffffffffL;
    }

    private static long u64(byte[] b, int offset) {
        return ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getLong(offset);
    }
}
