package io.github.hotdeploy.launcher.systemd;

import io.github.hotdeploy.launcher.sockets.InetListenSpec;
import io.github.hotdeploy.launcher.sockets.ListenSpec;
import io.github.hotdeploy.launcher.sockets.UnixListenSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Which socket passed by systemd stands for which {@code --port}/{@code --path}: a pure function.
 *
 * <ul>
 *   <li>With no {@code --port} or {@code --path}, every passed socket, keyed as if it had been
 *       asked for ({@link SocketKeys}), in the order systemd passed them.
 *   <li>Otherwise each option takes the passed socket on its address (a bare port or 0.0.0.0
 *       takes IPv4's or IPv6's wildcard, so {@code --port=8080} takes {@code ListenStream=8080});
 *       TCP takes a stream socket, {@code u} a datagram one; a path takes the socket on that path.
 *       An option nothing was passed for is bound by start_server as usual; a passed socket no
 *       option takes is left out (closed, with a warning).
 * </ul>
 *
 * Either way the children see exactly what they would see had start_server bound the sockets.
 */
public final class SocketActivation {

    /**
     * @param specs what the children get, in SERVER_STARTER_PORT's order
     * @param inherited for each spec, the passed fd that serves it, or -1: bind it
     * @param unused passed sockets no spec takes
     */
    public record Plan(List<ListenSpec> specs, List<Integer> inherited, List<PassedSocket> unused) {
    }

    private SocketActivation() {
    }

    /**
     * @param ipv4 resolves a {@code --port} host as binding would (its IPv4 address), or null
     * @param cwd start_server's working directory, against which a relative {@code --path} is read
     */
    public static Plan plan(List<ListenSpec> specs, List<PassedSocket> passed, Function<String, byte[]> ipv4, Path cwd) {
        if (specs.isEmpty()) {
            List<ListenSpec> derived = new ArrayList<>();
            List<Integer> fds = new ArrayList<>();
            for (PassedSocket s : passed) {
                derived.add(SocketKeys.specOf(s));
                fds.add(s.fd());
            }
            return new Plan(derived, fds, List.of());
        }
        List<PassedSocket> left = new ArrayList<>(passed);
        List<Integer> fds = new ArrayList<>();
        for (ListenSpec spec : specs) {
            PassedSocket match = null;
            for (PassedSocket s : left) {
                if (matches(spec, s, ipv4, cwd)) {
                    match = s;
                    break;
                }
            }
            if (match != null) {
                left.remove(match);
            }
            fds.add(match == null ? -1 : match.fd());
        }
        return new Plan(specs, fds, left);
    }

    static boolean matches(ListenSpec spec, PassedSocket s, Function<String, byte[]> ipv4, Path cwd) {
        if (spec instanceof UnixListenSpec unix) {
            return s.ip() == null && !s.path().isEmpty() && !s.path().startsWith("@")
                    && cwd.resolve(unix.path()).normalize().equals(cwd.resolve(s.path()).normalize());
        }
        InetListenSpec inet = (InetListenSpec) spec;
        if (s.ip() == null || s.port() != inet.port() || (inet.udp() ? !s.datagram() : !s.stream())) {
            return false;
        }
        if (inet.ipv6()) {
            byte[] wanted = ipv6Literal(inet.host());
            return wanted != null && s.ip().length == 16 && Arrays.equals(wanted, s.ip());
        }
        byte[] wanted = inet.host() == null ? new byte[4] : ipv4.apply(inet.host());
        if (wanted == null) {
            return false;
        }
        if (isZero(wanted)) {
            return s.wildcard(); // IPv4's wildcard, or IPv6's, which systemd binds dual-stack by default
        }
        return s.ip().length == 4 && Arrays.equals(wanted, s.ip());
    }

    private static boolean isZero(byte[] ip) {
        for (byte b : ip) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** The 16 bytes of an IPv6 literal (scope dropped), or null. Literals only: never the resolver. */
    static byte[] ipv6Literal(String host) {
        String literal = host.contains("%") ? host.substring(0, host.indexOf('%')) : host;
        for (char c : literal.toCharArray()) {
            if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                return null;
            }
        }
        try {
            byte[] address = java.net.InetAddress.getByName(literal).getAddress();
            return address.length == 16 ? address : null;
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }
}
