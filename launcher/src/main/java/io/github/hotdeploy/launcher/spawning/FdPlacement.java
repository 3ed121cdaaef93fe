package io.github.hotdeploy.launcher.spawning;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * How a child gets its descriptors: the posix_spawn file actions that put every socket at its
 * announced number and close everything else of start_server's, without ever naming a descriptor
 * at or above the open-files limit (posix_spawn refuses those with EBADF, however free they are).
 *
 * <p>The placement is a parallel assignment: each socket is dup2'ed straight to its number
 * unless that number still holds a socket another placement needs; only a cycle of such
 * placements (a socket wanting the number of another that wants its number) moves one socket
 * aside first, to the lowest number below the limit that no placement needs. So a layout that
 * fits under the limit is always found, and one that does not is refused before anything starts.
 */
public final class FdPlacement {
    private FdPlacement() {
    }

    /** One file action, in the order posix_spawn performs them. */
    public sealed interface Action permits Dup2, Close, CloseFrom {
    }

    /** dup2(from, to); with {@code from == to} it only clears close-on-exec, as glibc does. */
    public record Dup2(int from, int to) implements Action {
    }

    public record Close(int fd) implements Action {
    }

    /** Closes every descriptor from {@code fd} up, whatever the limit (glibc's closefrom action). */
    public record CloseFrom(int fd) implements Action {
    }

    /**
     * The file actions, and the descriptors to mark close-on-exec in start_server itself because
     * no file action may name them (at or above the limit, without a closefrom action to reach them).
     */
    public record Plan(List<Action> actions, SortedSet<Integer> closeOnExecInParent) {
    }

    /** No layout fits: the message says why, for a one-line error. */
    public static final class Impossible extends Exception {
        public Impossible(String message) {
            super(message);
        }
    }

    /**
     * @param open start_server's open descriptors (0-2 are the child's and are kept unless a socket goes there)
     * @param mappings each socket's descriptor in start_server and its number in the child; targets distinct
     * @param limit the soft RLIMIT_NOFILE the child starts with
     * @param closeFromAvailable glibc 2.34+ has the closefrom action
     */
    public static Plan plan(Set<Integer> open, List<SpawnRequest.FdMapping> mappings, long limit,
                            boolean closeFromAvailable) throws Impossible {
        TreeSet<Integer> targets = new TreeSet<>();
        for (SpawnRequest.FdMapping m : mappings) {
            if (m.target() >= limit) {
                throw new Impossible("fd " + m.target() + " is not below the open-files limit (ulimit -n: " + limit + ")");
            }
            if (m.source() >= limit) {
                throw new Impossible("descriptor " + m.source() + " is not below the open-files limit (ulimit -n: "
                        + limit + ")");
            }
            if (!targets.add(m.target())) {
                throw new IllegalArgumentException("two descriptors for fd " + m.target());
            }
        }
        List<Action> actions = new ArrayList<>();
        Map<Integer, Integer> where = new HashMap<>(); // source -> the number that holds it now
        mappings.forEach(m -> where.put(m.source(), m.source()));
        List<SpawnRequest.FdMapping> pending = new ArrayList<>(mappings);
        SortedSet<Integer> scratch = new TreeSet<>();
        while (!pending.isEmpty()) {
            SpawnRequest.FdMapping next = null;
            for (SpawnRequest.FdMapping m : pending) {
                if (where.get(m.source()) == m.target() || !neededByOthers(m.target(), m, pending, where)) {
                    next = m;
                    break;
                }
            }
            if (next != null) {
                actions.add(new Dup2(where.get(next.source()), next.target()));
                pending.remove(next);
                continue;
            }
            // Every pending number holds a socket that another placement still needs: a cycle.
            int busy = pending.get(0).target();
            int aside = lowestSpare(limit, targets, pending, where);
            if (aside < 0) {
                throw new Impossible("no descriptor below the open-files limit (ulimit -n: " + limit
                        + ") is free to reorder the sockets");
            }
            for (SpawnRequest.FdMapping m : pending) {
                if (where.get(m.source()) == busy) {
                    where.put(m.source(), aside);
                }
            }
            actions.add(new Dup2(busy, aside));
            scratch.add(aside);
        }
        int closeFrom = targets.isEmpty() ? 3 : Math.max(3, targets.last() + 1);
        boolean useCloseFrom = closeFromAvailable && closeFrom < limit;
        SortedSet<Integer> toClose = new TreeSet<>(open);
        toClose.addAll(scratch);
        SortedSet<Integer> inParent = new TreeSet<>();
        for (int fd : toClose) {
            if (fd < 3 || targets.contains(fd) || (useCloseFrom && fd >= closeFrom)) {
                continue;
            }
            if (fd < limit) {
                actions.add(new Close(fd));
            } else {
                inParent.add(fd);
            }
        }
        if (useCloseFrom) {
            // Also catches what another thread of the JVM opens after the descriptors were listed.
            actions.add(new CloseFrom(closeFrom));
        }
        return new Plan(List.copyOf(actions), inParent);
    }

    private static boolean neededByOthers(int fd, SpawnRequest.FdMapping self, List<SpawnRequest.FdMapping> pending,
                                          Map<Integer, Integer> where) {
        for (SpawnRequest.FdMapping m : pending) {
            if (m != self && where.get(m.source()) == fd) {
                return true;
            }
        }
        return false;
    }

    /** The lowest number from 3 below the limit that is no target and holds no pending socket; -1 if none. */
    private static int lowestSpare(long limit, Set<Integer> targets, List<SpawnRequest.FdMapping> pending,
                                   Map<Integer, Integer> where) {
        Set<Integer> held = new TreeSet<>();
        pending.forEach(m -> held.add(where.get(m.source())));
        for (int fd = 3; fd < limit; fd++) {
            if (!targets.contains(fd) && !held.contains(fd)) {
                return fd;
            }
        }
        return -1;
    }
}
