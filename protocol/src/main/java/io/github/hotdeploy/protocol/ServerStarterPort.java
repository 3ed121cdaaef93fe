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
