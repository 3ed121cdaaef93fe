package io.github.hotdeploy.launcher.sockets;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Decides the fd number each socket gets in the children, so that SERVER_STARTER_PORT is
 * byte-for-byte what the original announces for the same command line.
 *
 * <p>The original creates its sockets in order in its own process, where socket() returns the
 * lowest free descriptor: 3 onwards, or 4 onwards when {@code --log-file} is open (the log handle
 * holds 3 while the sockets are bound). A socket with {@code =FD} is dup2'ed there and its first
 * descriptor closed, which frees that number for the next socket.
 */
public final class ChildFdLayout {
    private ChildFdLayout() {
    }

    public static List<Integer> assign(List<? extends ListenSpec> specs, boolean logFileOpen) {
        BitSet used = new BitSet();
        used.set(0, logFileOpen ? 4 : 3);
        List<Integer> result = new ArrayList<>();
        for (ListenSpec spec : specs) {
            int natural = used.nextClearBit(0);
            if (spec.requestedFd().isPresent()) {
                int fd = spec.requestedFd().getAsInt();
                if (result.contains(fd)) {
                    throw new IllegalArgumentException("invalid port value: '" + spec.key() + "=" + fd
                            + "': fd " + fd + " is already taken by another socket");
                }
                used.set(fd);
                result.add(fd);
            } else {
                used.set(natural);
                result.add(natural);
            }
        }
        // Fd 0 is stdin in the original's own process until a socket is dup2'ed over it, so it is
        // never a natural choice; fds 1 and 2 are refused by the parser.
        return result;
    }

    /**
     * Why the layout cannot be given to a child under the open-files limit (no descriptor at or
     * above it can be created, so neither can a socket be placed there), or null if it can.
     */
    public static String beyondLimit(List<? extends ListenSpec> specs, List<Integer> fds, long limit) {
        for (int i = 0; i < specs.size(); i++) {
            if (fds.get(i) >= limit) {
                return "socket " + specs.get(i).key() + " cannot be placed at fd " + fds.get(i)
                        + ": it is not below the open-files limit (ulimit -n: " + limit + ")";
            }
        }
        return null;
    }
}
