package io.github.hotdeploy.launcher.systemd;

import io.github.hotdeploy.launcher.sockets.InetListenSpec;
import io.github.hotdeploy.launcher.sockets.ListenSpec;
import io.github.hotdeploy.launcher.sockets.UnixListenSpec;

/**
 * The {@code --port}/{@code --path} a passed socket would have been asked for with, so that its
 * {@code SERVER_STARTER_PORT} key is the one start_server writes for a socket it binds: {@code 8080}
 * for IPv4's wildcard, {@code 127.0.0.1:8080}, {@code [::]:8080} (how systemd's {@code ListenStream=8080}
 * binds), {@code [::1]:8080}, or the path.
 */
final class SocketKeys {
    private SocketKeys() {
    }

    static ListenSpec specOf(PassedSocket s) {
        boolean udp = s.datagram();
        if (s.ip() == null) {
            return new UnixListenSpec(s.path());
        }
        if (s.ip().length == 4) {
            return s.wildcard()
                    ? new InetListenSpec(Integer.toString(s.port()), null, false, s.port(), udp, -1)
                    : new InetListenSpec(ipv4(s.ip()) + ":" + s.port(), ipv4(s.ip()), false, s.port(), udp, -1);
        }
        String host = ipv6(s.ip());
        return new InetListenSpec("[" + host + "]:" + s.port(), host, true, s.port(), udp, -1);
    }

    static String ipv4(byte[] ip) {
        return (ip[0] & 0xff) + "." + (ip[1] & 0xff) + "." + (ip[2] & 0xff) + "." + (ip[3] & 0xff);
    }

    /** RFC 5952's text form: lower-case hex, the longest run of two or more zero groups as {@code ::}. */
    static String ipv6(byte[] ip) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (ip[2 * i] & 0xff) << 8 | (ip[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }
}
