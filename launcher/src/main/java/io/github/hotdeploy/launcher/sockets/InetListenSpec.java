package io.github.hotdeploy.launcher.sockets;

import java.util.OptionalInt;

/**
 * A TCP or UDP socket from {@code --port}.
 *
 * @param key SERVER_STARTER_PORT key: {@code 8080}, {@code host:8080} or {@code [v6]:8080}
 * @param host the host as given, or null for the bare-port form (IPv4 0.0.0.0)
 * @param ipv6 true for an IPv6 literal (bound with IPV6_V6ONLY, as the original does)
 * @param port 1-65535
 * @param udp true for the {@code u} prefix: bound, not listening
 * @param fd the {@code =FD} suffix, or -1
 */
public record InetListenSpec(String key, String host, boolean ipv6, int port, boolean udp, int fd)
        implements ListenSpec {

    @Override
    public OptionalInt requestedFd() {
        return fd < 0 ? OptionalInt.empty() : OptionalInt.of(fd);
    }
}
