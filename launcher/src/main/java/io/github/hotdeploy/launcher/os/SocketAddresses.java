package io.github.hotdeploy.launcher.os;

import java.nio.charset.StandardCharsets;

/**
 * Linux socket constants and the {@code struct sockaddr_*} layouts, built as byte arrays for the
 * libc calls. sa_family_t is in host byte order (little-endian on every Linux target jffi ships
 * for); ports are in network order.
 */
public final class SocketAddresses {
    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_SEQPACKET = 5;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_TYPE = 3;
    public static final int SO_PASSCRED = 16;
    public static final int SO_ACCEPTCONN = 30;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_NOSIGNAL = 0x4000;
    public static final int IPPROTO_TCP = 6;
    public static final int TCP_INFO = 11;
    public static final int IPPROTO_IPV6 = 41;
    public static final int IPV6_V6ONLY = 26;
    public static final int SHUT_RDWR = 2;
    /** sun_path's size, terminating NUL included. */
    public static final int UNIX_PATH_MAX = 108;

    private SocketAddresses() {
    }

    /** {@code struct sockaddr_un} for a path, or null if the path does not fit. */
    public static byte[] unix(String path) {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length >= UNIX_PATH_MAX) {
            return null;
        }
        byte[] address = new byte[2 + bytes.length + 1];
        putFamily(address, AF_UNIX);
        System.arraycopy(bytes, 0, address, 2, bytes.length);
        return address;
    }

    /**
     * {@code struct sockaddr_un} for a name in the abstract namespace ({@code @name} in systemd's
     * notation): a NUL, then the name, and a length that stops right after it.
     */
    public static byte[] unixAbstract(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length + 1 >= UNIX_PATH_MAX) {
            return null;
        }
        byte[] address = new byte[2 + 1 + bytes.length];
        putFamily(address, AF_UNIX);
        System.arraycopy(bytes, 0, address, 3, bytes.length);
        return address;
    }

    /** The address family of a {@code struct sockaddr} as filled in by the kernel. */
    public static int family(byte[] address) {
        return (address[0] & 0xff) | (address[1] & 0xff) << 8;
    }

    /** The port of a {@code sockaddr_in} or {@code sockaddr_in6}. */
    public static int port(byte[] address) {
        return (address[2] & 0xff) << 8 | (address[3] & 0xff);
    }

    /** {@code struct sockaddr_in}. */
    public static byte[] inet(byte[] ipv4, int port) {
        byte[] address = new byte[16];
        putFamily(address, AF_INET);
        putPort(address, port);
        System.arraycopy(ipv4, 0, address, 4, 4);
        return address;
    }

    /** {@code struct sockaddr_in6}. */
    public static byte[] inet6(byte[] ipv6, int scopeId, int port) {
        byte[] address = new byte[28];
        putFamily(address, AF_INET6);
        putPort(address, port);
        System.arraycopy(ipv6, 0, address, 8, 16);
        address[24] = (byte) scopeId;
        address[25] = (byte) (scopeId >> 8);
        address[26] = (byte) (scopeId >> 16);
        address[27] = (byte) (scopeId >> 24);
        return address;
    }

    private static void putFamily(byte[] address, int family) {
        address[0] = (byte) family;
        address[1] = (byte) (family >> 8);
    }

    private static void putPort(byte[] address, int port) {
        address[2] = (byte) (port >> 8);
        address[3] = (byte) port;
    }
}
