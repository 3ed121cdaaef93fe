package io.github.hotdeploy.launcher.sockets;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code --port} values with the original's grammar (same patterns, same keys), but
 * rejects port numbers the original would silently wrap modulo 65536.
 */
public final class PortSpecParser {
    private static final Pattern PORT_ONLY = Pattern.compile("^\\s*(u?)(\\d+)(?:\\s*=(\\d+))?\\s*$");
    private static final Pattern HOST_PORT =
            Pattern.compile("^\\s*(?:\\[\\s*|)([^\\]]*)\\s*(?:\\]\\s*|):\\s*(u?)(\\d+)(?:\\s*=(\\d+))?\\s*$");
    private static final String FORMS = "expected PORT, HOST:PORT or [IPV6]:PORT, with an optional u before the"
            + " port for UDP and =FD after it";

    private PortSpecParser() {
    }

    public static InetListenSpec parse(String spec) {
        Matcher m = PORT_ONLY.matcher(spec);
        if (m.matches()) {
            int port = port(spec, m.group(2));
            return new InetListenSpec(m.group(2), null, false, port, !m.group(1).isEmpty(),
                    fd(spec, m.group(3)));
        }
        m = HOST_PORT.matcher(spec);
        if (m.matches()) {
            String host = m.group(1);
            int port = port(spec, m.group(3));
            boolean udp = !m.group(2).isEmpty();
            int fd = fd(spec, m.group(4));
            if (host.isBlank()) {
                throw new IllegalArgumentException("invalid port value: '" + spec + "': empty host; " + FORMS);
            }
            if (host.contains(":")) {
                return new InetListenSpec("[" + host + "]:" + m.group(3), host, true, port, udp, fd);
            }
            return new InetListenSpec(host + ":" + m.group(3), host, false, port, udp, fd);
        }
        throw new IllegalArgumentException("invalid port value: '" + spec + "': " + FORMS);
    }

    private static int port(String spec, String digits) {
        // Keys keep the digits as written ("08080" stays "08080" in the original); we only range-check.
        long value = digits.length() > 6 ? Long.MAX_VALUE : Long.parseLong(digits);
        if (value < 1 || value > 65535) {
            throw new IllegalArgumentException("invalid port value: '" + spec + "': port must be 1-65535");
        }
        return (int) value;
    }

    private static int fd(String spec, String digits) {
        if (digits == null) {
            return -1;
        }
        long value = digits.length() > 6 ? Long.MAX_VALUE : Long.parseLong(digits);
        if (value == 1 || value == 2) {
            throw new IllegalArgumentException("invalid port value: '" + spec + "': fd " + value
                    + " is the child's " + (value == 1 ? "stdout" : "stderr"));
        }
        if (value > 65535) {
            throw new IllegalArgumentException("invalid port value: '" + spec + "': fd out of range");
        }
        return (int) value;
    }
}
