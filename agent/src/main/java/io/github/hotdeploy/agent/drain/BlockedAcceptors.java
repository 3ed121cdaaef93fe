package io.github.hotdeploy.agent.drain;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The threads of this process blocked in accept(2) on one fd, and whether each has run since.
 *
 * <p>Signalling such a thread is not enough by itself: it leaves the socket's wait queue only when
 * it next runs, and on a loaded machine that can be milliseconds later. Until then the kernel may
 * still hand it a new connection, and on waking it checks the accept queue before it checks for
 * the signal, so it takes that connection. The drain therefore waits until every such thread has
 * blocked again (on the dummy, or in serving what it took) before it reports that it stopped
 * accepting: its voluntary context switches, in /proc, count that.
 */
final class BlockedAcceptors {

    private static final BlockedAcceptors NONE = new BlockedAcceptors(new LinkedHashMap<String, Long>());

    /** Thread id to its voluntary context switches when found. */
    private final Map<String, Long> switches;

    private BlockedAcceptors(Map<String, Long> switches) {
        this.switches = switches;
    }

    /** The threads inside accept(2) or accept4(2) on fd at this instant. */
    static BlockedAcceptors on(int fd) {
        String[] tasks = new File("/proc/self/task").list();
        if (tasks == null) {
            return NONE;
        }
        Map<String, Long> found = new LinkedHashMap<String, Long>();
        for (String task : tasks) {
            if (inAcceptOn(task, fd)) {
                long count = voluntarySwitches(task);
                if (count >= 0) {
                    found.put(task, count);
                }
            }
        }
        return found.isEmpty() ? NONE : new BlockedAcceptors(found);
    }

    /**
     * These threads and those inside accept(2) on fd now, each with its switches counted now. Called
     * after the dup2: a thread that took a connection and went back into accept on the shared socket
     * between the first look and the dup2 has switched once already, and counted from before it
     * would pass for released while it still waits on the shared socket; one that entered accept in
     * that interval was not found at all.
     */
    BlockedAcceptors recountedWith(int fd) {
        // Those in accept now were counted by the look itself; only the others are read again.
        Map<String, Long> now = new LinkedHashMap<String, Long>(on(fd).switches);
        for (String task : switches.keySet()) {
            if (!now.containsKey(task)) {
                long count = voluntarySwitches(task);
                if (count >= 0) {
                    now.put(task, count);
                }
            }
        }
        return now.isEmpty() ? NONE : new BlockedAcceptors(now);
    }

    int size() {
        return switches.size();
    }

    /**
     * Waits until every thread found has blocked again or ended, at most timeoutMs; returns how
     * many had not.
     */
    int awaitRescheduled(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1000000L;
        while (true) {
            int waiting = 0;
            for (Map.Entry<String, Long> e : switches.entrySet()) {
                long now = voluntarySwitches(e.getKey());
                if (now >= 0 && now == e.getValue()) {
                    waiting++;
                }
            }
            if (waiting == 0 || System.nanoTime() - deadline >= 0) {
                return waiting;
            }
            Thread.sleep(1);
        }
    }

    private static boolean inAcceptOn(String task, int fd) {
        long[] call = Syscalls.blockedIn(task);
        return call != null && (call[0] == Syscalls.ACCEPT || call[0] == Syscalls.ACCEPT4) && call[1] == fd;
    }

    /** The thread's voluntary context switches so far, or -1 once it has ended. */
    private static long voluntarySwitches(String task) {
        for (String line : ReadWaits.lines("/proc/self/task/" + task + "/status")) {
            if (line.startsWith("voluntary_ctxt_switches:")) {
                try {
                    return Long.parseLong(line.substring("voluntary_ctxt_switches:".length()).trim());
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }
}
