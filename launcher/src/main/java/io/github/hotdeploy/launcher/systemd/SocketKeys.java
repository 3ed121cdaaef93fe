package io.github.hotdeploy.launcher.systemd;

import io.github.hotdeploy.launcher.sockets.InetListenSpec;
import io.github.hotdeploy.launcher.sockets.ListenSpec;
import io.github.hotdeploy.launcher.sockets.UnixListenSpec;
import io.github.hotdeploy.protocol.ServerStarterPort;

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
        String host = ServerStarterPort.ipv6Text(s.ip());
        return new InetListenSpec("[" + host + "]:" + s.port(), host, true, s.port(), udp, -1);
    }

    static String ipv4(byte[] ip) {
        return (ip[0] & 0xff) + "." + (ip[1] & 0xff) + "." + (ip[2] & 0xff) + "." + (ip[3] & 0xff);
    }
}
