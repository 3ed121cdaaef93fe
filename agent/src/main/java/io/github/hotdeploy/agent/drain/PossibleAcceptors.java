package io.github.hotdeploy.agent.drain;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The threads of this process that may still take a connection from one fd, and whether each has
 * run since: those blocked in accept(2) on it, and those running.
 *
 * <p>Signalling a thread blocked in accept is not enough by itself: it leaves the socket's wait
 * queue only when it next runs, and on a loaded machine that can be milliseconds later. Until then
 * the kernel may still hand it a new connection, and on waking it checks the accept queue before it
 * checks for the signal, so it takes that connection. A thread the kernel has already woken for a
 * connection is worse: until it runs, /proc shows it as running, not in accept, and nothing else
 * tells it from any other runnable thread (issue 14: a reset in 1 of 400 restarts of a ServerSocket
 * app on a loaded machine, after the blocked ones were followed). So every running thread is
 * followed too, but for the JVM's own (GC, compilers, the JDK's system threads). The drain waits
 * until each has blocked again (on the dummy, or in serving what it took) before it reports that
 * it stopped accepting: its voluntary context switches, in /proc, count that. A running thread
 * that is no acceptor costs only that wait, bounded by the caller.
 */
final class PossibleAcceptors {

    private static final PossibleAcceptors NONE = new PossibleAcceptors(new LinkedHashMap<String, Long>());

    /** Thread id to its voluntary context switches when found. */
    private final Map<String, Long> switches;

    private PossibleAcceptors(Map<String, Long> switches) {
        this.switches = switches;
    }

    /**
     * The threads inside accept(2) or accept4(2) on fd at this instant, and those running, but for
     * the caller.
     */
    static PossibleAcceptors on(int fd) {
        String[] tasks = new File("/proc/self/task").list();
        if (tasks == null) {
            return NONE;
        }
        String self = currentTask();
        Map<String, Long> found = new LinkedHashMap<String, Long>();
        for (String task : tasks) {
            if (!task.equals(self) && mayAccept(task, Syscalls.line(task), fd)) {
                follow(found, task);
            }
        }
        return found.isEmpty() ? NONE : new PossibleAcceptors(found);
    }

    /**
     * These threads and those {@link #on(int) on} fd now, each with its switches counted now. Called
     * after the dup2: a thread that took a connection and went back into accept on the shared socket
     * between the first look and the dup2 has switched once already, and counted from before it
     * would pass for released while it still waits on the shared socket; one that entered accept in
     * that interval was not found at all.
     */
    PossibleAcceptors recountedWith(int fd) {
        // Those found now were counted by the look itself; only the others are read again.
        Map<String, Long> now = new LinkedHashMap<String, Long>(on(fd).switches);
        for (String task : switches.keySet()) {
            if (!now.containsKey(task)) {
                follow(now, task);
            }
        }
        return now.isEmpty() ? NONE : new PossibleAcceptors(now);
    }

    int size() {
        return switches.size();
    }

    boolean follows(String task) {
        return switches.containsKey(task);
    }

    /** Whether the thread has blocked again, or ended, since it was found. */
    boolean hasRunAgain(String task) {
        Long then = switches.get(task);
        long now = voluntarySwitches(task);
        return then == null || now < 0 || now != then;
    }

    /**
     * Waits until every thread found has blocked again or ended, at most timeoutMs; returns the
     * names of those that had not (their kernel names: a Java thread's name, cut to 15 characters).
     */
    List<String> awaitRescheduled(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1000000L;
        while (true) {
            List<String> waiting = new ArrayList<String>();
            for (String task : switches.keySet()) {
                if (!hasRunAgain(task)) {
                    waiting.add(task);
                }
            }
            if (waiting.isEmpty() || System.nanoTime() - deadline >= 0) {
                List<String> names = new ArrayList<String>();
                for (String task : waiting) {
                    String name = kernelName(task);
                    names.add(name == null ? task : "\"" + name + "\"");
                }
                return names;
            }
            Thread.sleep(1);
        }
    }

    private static boolean mayAccept(String task, String syscall, int fd) {
        if (Syscalls.running(syscall)) {
            String name = kernelName(task);
            return name == null || !jvmOwn(name);
        }
        return inAcceptOn(Syscalls.parse(syscall), fd);
    }

    /** Whether a {@link Syscalls#blockedIn} result is accept(2) or accept4(2) on fd. */
    static boolean inAcceptOn(long[] call, int fd) {
        return call != null && (call[0] == Syscalls.ACCEPT || call[0] == Syscalls.ACCEPT4) && call[1] == fd;
    }

    /** Adds the thread with its switches counted now, unless it has ended. */
    private static void follow(Map<String, Long> followed, String task) {
        long count = voluntarySwitches(task);
        if (count >= 0) {
            followed.put(task, count);
        }
    }

    /** The thread's kernel name (a Java thread's name, cut to 15 characters), or null once it has ended. */
    private static String kernelName(String task) {
        List<String> comm = ReadWaits.lines("/proc/self/task/" + task + "/comm");
        return comm.isEmpty() ? null : comm.get(0);
    }

    // The kernel names (15 characters) of the JVM's own threads, which never accept for the app;
    // on a loaded machine a runnable one can wait seconds for a CPU, and the drain with it.
    private static final String[] JVM_OWN = {
        "GC Thread#", "G1 ", "VM Thread", "VM Periodic Tas", "C1 CompilerThre", "C2 CompilerThre",
        "Sweeper thread", "Monitor Deflati", "Service Thread", "Notification Th", "Signal Dispatch",
        "Reference Handl", "Finalizer", "Common-Cleaner", "Attach Listener", "ZDirector", "ZDriver",
        "ZStat", "ZWorker", "Shenandoah", "JFR ",
    };

    /** Whether a thread's kernel name is that of one of the JVM's own threads. */
    static boolean jvmOwn(String comm) {
        for (String prefix : JVM_OWN) {
            if (comm.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** This thread's id, from "PID/task/TID"; null where the kernel has no /proc/thread-self (before 3.17). */
    static String currentTask() {
        String link = ReadWaits.readLink("/proc/thread-self");
        return link == null ? null : link.substring(link.lastIndexOf('/') + 1);
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
