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
 *       adopted ports ({@link SocketTable}) and half-close (FIN) each one that is idle (on one
 *       look where a JDK selector's key tells, on two in a row where only epoll or a blocked
 *       thread does); leave every other one alone;</li>
 *   <li>hand over once none is left, or when the drain timeout is up.</li>
 * </ol>
 *
 * <p>Idle means: established, nothing unread, and the app waiting to read it and not to write
 * it (an epoll set watches it for input and not for output, or a thread is blocked reading it,
 * see {@link ReadWaits}). A server that is working on a request has read it and not yet answered,
 * so it is not waiting to read; a request that has arrived but not been read is unread.
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
    /** How long a half-closed connection may take to go away before the drain stops waiting. */
    static final long HALF_CLOSED_LINGER_MS = 1000;

    private static volatile TermInterceptor interceptor;
    private static final boolean DEBUG = System.getenv("DRAIN_DEBUG") != null;

    private final JdkInternals jdk;
    private final AdoptedListeners listeners;
    private final long timeoutMs;
    private final SocketTable table = new SocketTable();
    private final ReadWaits waits = new ReadWaits();
    private final TcpExchange exchange = new TcpExchange();
    private final SelectorKeys selectorKeys;
    private final Object lock = new Object();
    private volatile boolean cutShort;
    private volatile boolean repeatSeen;

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
        Set<Long> idleBefore = new HashSet<Long>();
        Set<Long> unwatchedBefore = new HashSet<Long>();
        long lastBlockedCheck = System.nanoTime() - BLOCKED_CHECK_NANOS;
        Map<Long, Long> halfClosedAt = new HashMap<Long, Long>();
        String lastLook = "";
        long pollMs = MIN_POLL_MS;
        int busy = 0;
        boolean timedOut = false;
        while (!cutShort) {
            stopper.keepStopped(); // an app that re-arms accepts on a silenced epoll registration
            long now = System.nanoTime();
            List<SocketTable.Connection> connections;
            try {
                connections = table.connections(ports);
            } catch (IOException e) {
                Log.warn("drain: cannot read this process's connections (" + Log.describe(e)
                        + "); handing over to the application's shutdown");
                return;
            }
            SelectorKeys.Interest interest = connections.isEmpty() ? null : selectorKeys.look();
            Set<Integer> reading = connections.isEmpty() ? new HashSet<Integer>() : waits.epollReaders();
            if (interest != null) {
                // A JDK selector's own key overrides epoll's possibly stale view of the same fd.
                for (SocketTable.Connection c : connections) {
                    if (interest.known(c.fd)) {
                        if (interest.waitingToRead(c.fd)) {
                            reading.add(c.fd);
                        } else {
                            reading.remove(c.fd);
                        }
                    }
                }
            }
            boolean blockedChecked = false;
            Set<Long> idleNow = new HashSet<Long>();
            Set<Long> unwatchedNow = new HashSet<Long>();
            busy = 0;
            int remaining = 0;
            for (SocketTable.Connection c : connections) {
                Long halfClosed = halfClosedAt.get(c.inode);
                if (halfClosed != null) {
                    if (now - halfClosed < HALF_CLOSED_LINGER_MS * 1000000L) {
                        remaining++;
                    }
                    continue;
                }
                remaining++;
                // Unacknowledged bytes do not count: a client acknowledges a response with its
                // next request (delayed ACK), and our FIN queues behind them anyway.
                boolean quiet = c.state == SocketTable.ESTABLISHED && c.unread == 0;
                if (quiet && !reading.contains(c.fd)) {
                    // Quiet but no selector waits on it: a thread may be blocked reading it. Asking
                    // every thread costs far more than a look (the kernel waits for each thread to
                    // be off CPU), so only for one quiet on two looks, and at most once a second.
                    unwatchedNow.add(c.inode);
                    if (!threadPerConnection || !unwatchedBefore.contains(c.inode)) {
                        busy++;
                        continue;
                    }
                    if (!blockedChecked && now - lastBlockedCheck >= BLOCKED_CHECK_NANOS) {
                        reading.addAll(waits.blockedReaders());
                        blockedChecked = true;
                        lastBlockedCheck = now;
                    }
                    if (!blockedChecked) {
                        // Not looked at this time: it keeps whatever it had earned so far.
                        if (idleBefore.contains(c.inode)) {
                            idleNow.add(c.inode);
                        }
                        busy++;
                        continue;
                    }
                }
                // A request that arrived and is not answered yet is busy whatever epoll says (Netty
                // keeps read interest while another task answers); known where tcp_info is readable.
                if (!quiet || !reading.contains(c.fd) || exchange.answerOwed(c.fd)) {
                    busy++;
                    continue;
                }
                // A JDK key is exact and is checked again right before the FIN: one look will do.
                // epoll and blocked threads are views that may lag: they must agree twice.
                boolean exact = interest != null && interest.known(c.fd);
                if (!exact && !idleBefore.contains(c.inode)) {
                    idleNow.add(c.inode);
                } else if (halfClose(c, exact)) {
                    halfClosedAt.put(c.inode, now);
                }
            }
            idleBefore = idleNow;
            unwatchedBefore = unwatchedNow;
            if (DEBUG) {
                Log.info("drain debug: " + connections + " reading=" + reading + " halfClosed=" + halfClosedAt.keySet());
            }
            if (remaining == 0) {
                break;
            }
            if (now >= deadline) {
                timedOut = true;
                break;
            }
            // Look often while connections change (an idle one must be seen idle twice, soon);
            // back off while nothing moves, e.g. one long request, so the drain costs no CPU.
            String look = connections.toString();
            pollMs = look.equals(lastLook) && idleNow.isEmpty() ? Math.min(MAX_POLL_MS, pollMs * 2) : MIN_POLL_MS;
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
        if (timedOut) {
            Log.warn("drain (pid " + pid() + "): timeout after " + ms + " ms with " + busy + " connection(s) still busy;"
                    + " handing over to the application's shutdown");
        } else {
            Log.info("drain (pid " + pid() + "): done in " + ms + " ms (" + halfClosedAt.size()
                    + " idle connection(s) half-closed); handing over to the application's shutdown");
        }
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
    private boolean halfClose(SocketTable.Connection c, boolean selectorKnown) {
        // The app may have closed the fd and opened another on the same number since the scan.
        if (!("socket:[" + c.inode + "]").equals(ReadWaits.readLink("/proc/self/fd/" + c.fd))) {
            return false;
        }
        try {
            java.io.FileDescriptor fd = jdk.newFd(c.fd);
            if (selectorKnown && !selectorKeys.stillWaitingToRead(c.fd)) {
                return false;
            }
            if (jdk.available(fd) > 0) {
                return false;
            }
            jdk.shutdownOutput(fd);
            return true;
        } catch (IOException e) {
            return false; // already closed or reset: nothing to wait for either
        }
    }
}
