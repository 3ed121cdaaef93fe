package io.github.hotdeploy.launcher.systemd;

import static io.github.hotdeploy.launcher.os.SocketAddresses.AF_INET;
import static io.github.hotdeploy.launcher.os.SocketAddresses.AF_INET6;
import static io.github.hotdeploy.launcher.os.SocketAddresses.AF_UNIX;
import static io.github.hotdeploy.launcher.os.SocketAddresses.SOCK_DGRAM;
import static io.github.hotdeploy.launcher.os.SocketAddresses.SOCK_STREAM;
import static io.github.hotdeploy.launcher.os.SocketAddresses.SOL_SOCKET;
import static io.github.hotdeploy.launcher.os.SocketAddresses.SO_ACCEPTCONN;
import static io.github.hotdeploy.launcher.os.SocketAddresses.SO_TYPE;

import io.github.hotdeploy.launcher.os.Native;
import io.github.hotdeploy.launcher.os.SocketAddresses;
import io.github.hotdeploy.protocol.ServerStarterPort;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import jnr.ffi.byref.IntByReference;

/**
 * What a socket passed by systemd is, as the kernel says (getsockname, SO_TYPE, SO_ACCEPTCONN):
 * enough to match it to {@code --port}/{@code --path} and to name it as start_server would.
 *
 * @param ip 4 or 16 bytes for an inet socket, null for a unix one
 * @param path a unix socket's path, {@code @name} for one in the abstract namespace, "" for an unnamed one
 */
public record PassedSocket(int fd, String name, int family, int type, boolean listening, byte[] ip, int port,
                           String path) {

    /** Asks the kernel about a passed descriptor. */
    public static PassedSocket probe(Native nat, ListenFds.Passed passed) throws ListenFds.Invalid {
        byte[] address = new byte[128];
        IntByReference length = new IntByReference(address.length);
        if (nat.libc().getsockname(passed.fd(), address, length) != 0) {
            throw new ListenFds.Invalid("LISTEN_FDS passes fd " + passed.fd() + ", which is not a socket: "
                    + nat.strerror(nat.errno()));
        }
        int type = intOption(nat, passed.fd(), SO_TYPE);
        boolean listening = intOption(nat, passed.fd(), SO_ACCEPTCONN) == 1;
        int family = SocketAddresses.family(address);
        return switch (family) {
            case AF_INET -> new PassedSocket(passed.fd(), passed.name(), family, type, listening,
                    Arrays.copyOfRange(address, 4, 8), SocketAddresses.port(address), null);
            case AF_INET6 -> new PassedSocket(passed.fd(), passed.name(), family, type, listening,
                    Arrays.copyOfRange(address, 8, 24), SocketAddresses.port(address), null);
            case AF_UNIX -> new PassedSocket(passed.fd(), passed.name(), family, type, listening, null, -1,
                    unixPath(address, length.getValue()));
            default -> throw new ListenFds.Invalid("LISTEN_FDS passes fd " + passed.fd()
                    + ", a socket of address family " + family + ", which start_server cannot pass on");
        };
    }

    private static int intOption(Native nat, int fd, int option) {
        IntByReference value = new IntByReference(0);
        IntByReference length = new IntByReference(4);
        return nat.libc().getsockopt(fd, SOL_SOCKET, option, value, length) == 0 ? value.getValue() : -1;
    }

    static String unixPath(byte[] address, int length) {
        if (length <= 2) {
            return "";
        }
        if (address[2] == 0) {
            return "@" + new String(address, 3, length - 3, StandardCharsets.UTF_8);
        }
        int end = 2;
        while (end < length && address[end] != 0) {
            end++;
        }
        return new String(address, 2, end - 2, StandardCharsets.UTF_8);
    }

    public boolean stream() {
        return type == SOCK_STREAM || type == SocketAddresses.SOCK_SEQPACKET;
    }

    public boolean datagram() {
        return type == SOCK_DGRAM;
    }

    public boolean wildcard() {
        if (ip == null) {
            return false;
        }
        for (byte b : ip) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** For log lines: {@code 127.0.0.1:8080}, {@code [::]:8080/udp}, {@code /run/app.sock}, and the name. */
    public String describe() {
        String where = ip == null ? (path.isEmpty() ? "an unnamed unix socket" : path)
                : (family == AF_INET ? SocketKeys.ipv4(ip) : "[" + ServerStarterPort.ipv6Text(ip) + "]") + ":" + port;
        return "fd " + fd + " (" + where + (datagram() ? "/udp" : "") + (name.isEmpty() ? "" : ", named " + name) + ")";
    }
}
