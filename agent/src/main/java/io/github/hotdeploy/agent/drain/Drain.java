package io.github.hotdeploy.agent.drain;

import io.github.hotdeploy.agent.Log;
import io.github.hotdeploy.agent.bootstrap.JdkInternals;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What SIGTERM does in a generation that adopted start_server's sockets, before the JVM's own
 * reaction (shutdown hooks, exit 143):
 *
 * <ol>
 *   <li>stop accepting on the adopted listeners ({@link AcceptStopper}); if that fails for any
 *       of them, warn once and hand over at once: a drain that keeps accepting never ends;</li>
 *   <li>every {@value #MIN_POLL_MS} ms while anything changes (backing off to
 *       {@value #MAX_POLL_MS} ms while nothing does), look at this process's connections on the
 *       adopted ports ({@link Connections}) and half-close (FIN) each one that is idle (on one
 *       look where a JDK selector's key tells, on two in a row where only epoll or a blocked
 *       thread does); leave every other one alone;</li>
 *   <li>hand over once none is left, or when the drain timeout is up.</li>
 * </ol>
 *
 * <p>Idle means: nothing unread, and the app waiting to read it and not to write it (an epoll set
 * watches it for input and not for output, or a thread is blocked reading it, see
 * {@link ReadWaits}). A server that is working on a request has read it and not yet answered, so
 * it is not waiting to read; a request that has arrived but not been read is unread. A connection
 * whose client has already closed its side is idle too when the app waits to read it: our FIN
 * then only completes a close the app is about to make.
 *
 * <p>What a look costs is what the drain costs: the requirement is at most 0.1 s of CPU per
 * second of drain. A look is one FIONREAD per connection and a walk over the JDK selectors'
 * keys; /proc/self/fd is listed once a second, epoll's view read only for a quiet connection no
 * JDK key tells about, the threads' syscalls at most once a second (see {@link Connections} for
 * what is not read at all, and why).
 *
 * <p>Why FIN and not close: a client may have sent its next request just as the connection is
 * judged idle. shutdown(SHUT_WR) only ends our direction; the app still owns the fd, still reads
 * whatever arrives, and closes it itself when it sees the client's FIN. The client sees a clean
 * end of stream before any byte of a response, the case every HTTP client retries on a new
 * connection (which the next generation accepts), never a reset. The app never has unread data
 * when it closes, so the kernel sends no RST either.
 */
public final class Drain {

    static final long MIN_POLL_MS = 20;
    static final long MAX_POLL_MS = 500;
    static final long BLOCKED_CHECK_NANOS = 1000000000L;
    /**
     * How often /proc/self/fd is listed again during a drain: for a connection that a thread
     * already inside accept(2) took late, or an fd number the app reused.
     */
    static final long RESCAN_NANOS = 1000000000L;
    /** How long a half-closed connection may take to go away before the drain stops waiting. */
    static final long HALF_CLOSED_LINGER_MS = 1000;

    private static volatile TermInterceptor interceptor;

    private final JdkInternals jdk;
    private final AdoptedListeners listeners;
    private final long timeoutMs;
    private final ReadWaits waits = new ReadWaits();
    private final TcpExchange exchange = new TcpExchange();
    private final SelectorKeys selectorKeys;
    private final Object lock = new Object();
    private volatile boolean cutShort;
    private volatile boolean repeatSeen;
    private boolean rescan; // drain thread only

    public Drain(JdkInternals jdk, AdoptedListeners listeners, long timeoutMs) {
        this.jdk = jdk;
        this.listeners = listeners;
        this.timeoutMs = timeoutMs;
        this.selectorKeys = new SelectorKeys(jdk);
    }

    /** Called by the interceptor's static initialiser. */
    static void registerInterceptor(TermInterceptor registered) {
        interceptor = registered;
    }

    /**
     * Puts the drain in front of SIGTERM and of {@code otherSignals} (start_server's
     * {@code --signal-on-hup}/{@code --signal-on-term} when they are not TERM), or throws (nothing
     * changed) when TERM cannot be intercepted.
     *
     * @return the other signals that could not be intercepted, each with the reason
     */
    public List<String> install(List<String> otherSignals) throws Exception {
        if (interceptor == null) {
            Class.forName(Drain.class.getPackage().getName() + ".SunMiscTermInterceptor", true,
                    Drain.class.getClassLoader());
        }
        if (interceptor == null) {
            throw new IllegalStateException("no SIGTERM interceptor registered");
        }
        return interceptor.install(otherSignals, new Runnable() {
            @Override
            public void run() {
                drain();
            }
        }, new Runnable() {
            @Override
            public void run() {
                if (!repeatSeen) {
                    repeatSeen = true;
                    Log.info("drain (pid " + pid() + "): stop signal again; still draining (at most " + timeoutMs
                            + " ms in all)");
                }
            }
        });
    }

    void drain() {
        long start = System.nanoTime();
        long deadline = start + timeoutMs * 1000000L;
        Set<Integer> ports = new HashSet<Integer>();
        List<String> keys = new ArrayList<String>();
        for (AdoptedListeners.Adopted a : listeners.snapshot()) {
            keys.add(a.key);
            if (a.port > 0) {
                ports.add(a.port);
            }
        }
        if (keys.isEmpty()) {
            return; // nothing adopted: nothing of ours to drain
        }
        AcceptStopper stopper = new AcceptStopper(jdk, listeners);
        List<String> failed = stopper.stop(waits.epollReaders());
        // Threads blocked reading a connection mean "idle" only in a thread-per-connection server,
        // recognisable by its blocking acceptor; in a selector-based one a thread reading a
        // connection is in the middle of a request (httpserver reads bodies that way).
        boolean threadPerConnection = stopper.stoppedBlockingAcceptors();
        if (!failed.isEmpty()) {
            Log.warn("cannot stop accepting on " + failed + "; no drain, the application stops as on a plain SIGTERM");
            return;
        }
        Log.info("drain (pid " + pid() + "): stopped accepting on " + keys + "; letting requests in flight finish (at most "
                + timeoutMs + " ms)");
        long cpuAtStart = threadCpuMs();
        Connections connections = new Connections(jdk, ports);
        long lastBlockedCheck = System.nanoTime() - BLOCKED_CHECK_NANOS;
        long lastScan = 0;
        int halfClosed = 0;
        long lastLook = 0;
        long pollMs = MIN_POLL_MS;
        int busy = 0;
        int looks = 0;
        boolean timedOut = false;
        rescan = true;
        while (!cutShort) {
            stopper.keepStopped(); // an app that re-arms accepts on a silenced epoll registration
            long now = System.nanoTime();
            boolean scanned = false;
            List<Connections.Connection> live;
            try {
                if (rescan || now - lastScan >= RESCAN_NANOS) {
                    connections.scan();
                    lastScan = now;
                    rescan = false;
                    scanned = true;
                }
                live = connections.look();
            } catch (IOException e) {
                Log.warn("drain: cannot read this process's connections (" + Log.describe(e)
                        + "); handing over to the application's shutdown");
                return;
            }
            looks++;
            SelectorKeys.Interest interest = live.isEmpty() ? null : selectorKeys.look();
            int[] epollReading = null; // read only if some quiet connection needs it
            Set<Integer> blockedReading = null;
            boolean idleNow = false;
            long look = live.size();
            busy = 0;
            int remaining = 0;
            for (Connections.Connection c : live) {
                // Per-connection state lives in the connection, not in maps keyed by boxed inodes:
                // those would teach the JIT new types in HashMap code the app has compiled, and
                // the recompiling cost more CPU than the drain itself.
                if (c.halfClosed) {
                    if (now - c.halfClosedAt < HALF_CLOSED_LINGER_MS * 1000000L) {
                        // Counted, not in the look: its going away (the client answers our FIN at
                        // once, as a rule) changes the number of connections, which is a change.
                        remaining++;
                    } else {
                        // Its client keeps it open: no longer waited for, so no longer looked at.
                        connections.forget(c);
                    }
                    continue;
                }
                remaining++;
                // Unacknowledged bytes do not count: a client acknowledges a response with its
                // next request (delayed ACK), and our FIN queues behind them anyway.
                if (!c.quiet) {
                    busy++;
                    look = look * 31 + c.inode;
                    continue;
                }
                // A JDK selector's key overrides epoll's possibly stale view of the same fd.
                boolean exact = interest != null && interest.known(c.fd);
                boolean waiting;
                if (exact) {
                    waiting = interest.waitingToRead(c.fd);
                } else {
                    if (epollReading == null) {
                        epollReading = waits.epollReaders(connections.epollFds());
                    }
                    waiting = java.util.Arrays.binarySearch(epollReading, c.fd) >= 0;
                }
                if (!waiting) {
                    // Quiet but no selector waits on it: a thread may be blocked reading it. Asking
                    // every thread costs far more than a look (the kernel waits for each thread to
                    // be off CPU), so only for one quiet on two looks, and at most once a second.
                    boolean unwatchedBefore = c.unwatchedLook == looks - 1;
                    c.unwatchedLook = looks;
                    look = look * 31 + c.inode * 3 + 1;
                    if (exact || !threadPerConnection || !unwatchedBefore) {
                        busy++;
                        continue;
                    }
                    if (blockedReading == null && now - lastBlockedCheck >= BLOCKED_CHECK_NANOS) {
                        blockedReading = waits.blockedReaders();
                        lastBlockedCheck = now;
                    }
                    if (blockedReading == null) {
                        // Not looked at this time: it keeps whatever it had earned so far.
                        if (c.idleLook == looks - 1) {
                            c.idleLook = looks;
                            idleNow = true;
                        }
                        busy++;
                        continue;
                    }
                    if (!blockedReading.contains(c.fd)) {
                        busy++;
                        continue;
                    }
                }
                // A request that arrived and is not answered yet is busy whatever epoll says (Netty
                // keeps read interest while another task answers); known where tcp_info is readable.
                if (exchange.answerOwed(c.fd)) {
                    busy++;
                    look = look * 31 + c.inode * 3;
                    continue;
                }
                look = look * 31 + c.inode * 3 + 2;
                // A JDK key is exact and is checked again right before the FIN: one look will do.
                // epoll and blocked threads are views that may lag: they must agree twice.
                if (!exact && c.idleLook != looks - 1) {
                    c.idleLook = looks;
                    idleNow = true;
                } else if (halfClose(c, exact ? interest : null)) {
                    c.halfClosed = true;
                    c.halfClosedAt = now;
                    halfClosed++;
                }
            }
            if (remaining == 0) {
                if (!scanned) {
                    // Done, unless a connection came since the last listing of the fds (a thread
                    // that was inside accept(2) when accepts were stopped may have taken one).
                    rescan = true;
                    continue;
                }
                break;
            }
            if (now >= deadline) {
                timedOut = true;
                break;
            }
            // Look often while connections change (an idle one must be seen idle twice, soon);
            // back off while nothing moves, e.g. one long request, so the drain costs no CPU.
            pollMs = look == lastLook && !idleNow ? Math.min(MAX_POLL_MS, pollMs * 2) : MIN_POLL_MS;
            lastLook = look;
            synchronized (lock) {
                if (!cutShort) {
                    try {
                        lock.wait(Math.max(1, Math.min(pollMs, (deadline - now) / 1000000L)));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
        long ms = (System.nanoTime() - start) / 1000000L;
        long cpuAtEnd = threadCpuMs();
        // The drain thread's own CPU, so that a drain that spins shows in the log (figures from
        // /proc/thread-self/stat, in 10 ms ticks).
        String cost = looks + " looks" + (cpuAtStart < 0 || cpuAtEnd < 0 ? "" : ", " + (cpuAtEnd - cpuAtStart) + " ms CPU");
        if (timedOut) {
            Log.warn("drain (pid " + pid() + "): timeout after " + ms + " ms with " + busy + " connection(s) still busy ("
                    + cost + "); handing over to the application's shutdown");
        } else {
            Log.info("drain (pid " + pid() + "): done in " + ms + " ms (" + halfClosed
                    + " idle connection(s) half-closed; " + cost + "); handing over to the application's shutdown");
        }
    }

    /** utime+stime of the calling thread in ms, or -1 when /proc/thread-self (Linux 3.17+) is not there. */
    static long threadCpuMs() {
        try {
            java.io.FileInputStream in = new java.io.FileInputStream("/proc/thread-self/stat");
            byte[] b = new byte[512];
            int n;
            try {
                n = in.read(b);
            } finally {
                in.close();
            }
            return cpuMsOfStat(new String(b, 0, Math.max(n, 0), "ISO-8859-1"));
        } catch (IOException | RuntimeException unreadable) {
            return -1;
        }
    }

    /** utime+stime in ms from a /proc stat line; the name (field 2) may hold spaces and parens. */
    static long cpuMsOfStat(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // f[0] is field 3 (state); utime and stime are fields 14 and 15, in USER_HZ (100) ticks.
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    }

    private static String pid() {
        String self = ReadWaits.readLink("/proc/self");
        return self == null ? "?" : self;
    }

    /**
     * FIN on an idle connection; false if its fd no longer names the same socket, or it is no
     * longer idle. The last checks run right before shutdown(2), so that the window in which a
     * request can slip in is microseconds, not a look's length.
     */
    private boolean halfClose(Connections.Connection c, SelectorKeys.Interest seen) {
        // The app may have closed the fd and opened another on the same number since the scan.
        if (!("socket:[" + c.inode + "]").equals(ReadWaits.readLink("/proc/self/fd/" + c.fd))) {
            rescan = true;
            return false;
        }
        try {
            if (seen != null && !selectorKeys.stillWaitingToRead(seen, c.fd)) {
                return false;
            }
            if (jdk.available(c.handle) > 0) {
                return false;
            }
            jdk.shutdownOutput(c.handle);
            return true;
        } catch (IOException e) {
            return false; // already closed or reset: nothing to wait for either
        }
    }
}
