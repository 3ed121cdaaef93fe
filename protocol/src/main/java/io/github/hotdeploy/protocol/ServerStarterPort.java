package io.github.hotdeploy.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The {@code SERVER_STARTER_PORT} wire format: {@code KEY=FD;KEY=FD...}, ports first in
 * command-line order, then paths. An empty value means start_server bound nothing.
 */
public final class ServerStarterPort {

    public static final String ENV = "SERVER_STARTER_PORT";
    public static final String GENERATION_ENV = "SERVER_STARTER_GENERATION";

    /**
     * [ours] Listening sockets the application bound itself in an earlier generation (a shutdown,
     * AJP or management port), which start_server took over and now passes to every generation,
     * in this variable's own {@code KEY=FD;...} format. Only the agent reads it: a program that
     * reads SERVER_STARTER_PORT must not start serving on them.
     */
    public static final String EXTRA_ENV = "SERVER_STARTER_EXTRA_PORT";

    private ServerStarterPort() {
    }

    /**
     * Parses the variable's value.
     *
     * @throws IllegalArgumentException naming the bad entry, for anything the original could not
     *     have written
     */
    public static List<InheritedSocket> parse(String value) {
        if (value == null || value.isEmpty()) {
            return Collections.emptyList();
        }
        List<InheritedSocket> sockets = new ArrayList<InheritedSocket>();
        for (String entry : value.split(";", -1)) {
            int eq = entry.lastIndexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("malformed " + ENV + " entry '" + entry + "': expected KEY=FD");
            }
            String fd = entry.substring(eq + 1);
            int fdNumber;
            try {
                fdNumber = Integer.parseInt(fd);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("malformed " + ENV + " entry '" + entry + "': fd is not a number");
            }
            sockets.add(InheritedSocket.of(entry.substring(0, eq), fdNumber));
        }
        return Collections.unmodifiableList(sockets);
    }

    /** The key for a TCP address: {@code 1.2.3.4:80}, {@code [::1]:80} (as the original writes --port keys). */
    public static String key(java.net.InetAddress address, int port) {
        if (!(address instanceof java.net.Inet6Address)) {
            return address.getHostAddress() + ":" + port;
        }
        return "[" + ipv6Text(address.getAddress()) + "]:" + port;
    }

    /**
     * RFC 5952 text of an IPv6 address, as the original writes it in a key: lower case, the
     * longest run of two or more zero groups as "::" (the launcher's keys for sockets systemd
     * passes use it too).
     */
    public static String ipv6Text(byte[] ip) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (ip[2 * i] & 0xff) << 8 | (ip[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not shortened
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
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

    /** Writes the value exactly as the original does: entries joined by ';', no trailing ';'. */
    public static String format(List<InheritedSocket> sockets) {
        StringBuilder sb = new StringBuilder();
        for (InheritedSocket socket : sockets) {
            if (sb.length() > 0) {
                sb.append(';');
            }
            sb.append(socket);
        }
        return sb.toString();
    }
}
