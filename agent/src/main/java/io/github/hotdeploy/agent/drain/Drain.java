package io.github.hotdeploy.agent.drain;

import io.github.hotdeploy.agent.Log;
import io.github.hotdeploy.agent.bootstrap.JdkInternals;
import io.github.hotdeploy.agent.instrument.HookTransformer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What SIGTERM does in a generation that adopted start_server's sockets, before the JVM's own
 * reaction (shutdown hooks, exit 143):
 *
 * <ol>
 *   <li>put the write path in place ({@link DrainWrites}): from now on the next final HTTP/1.x
 *       response on each connection carries {@code Connection: close} and, once it has left in
 *       full, our FIN follows; the client closes as HTTP requires. The hooks are installed now,
 *       not before: a generation that is not draining pays nothing for them;</li>
 *   <li>stop accepting on the adopted listeners ({@link AcceptStopper}); if that fails for any
 *       of them, warn once and hand over at once: a drain that keeps accepting never ends;</li>
 *   <li>look at this process's connections on the adopted ports ({@link Connections}), often while
 *       anything changes, and let {@link ConnectionVerdict} decide for each: wait (busy, or idle for
 *       less than the grace period), half-close (HTTP, idle for the grace period: what a keep-alive
 *       timeout does), or stop waiting (its client closed it, or another protocol idle for the
 *       grace period: the app's shutdown closes it);</li>
 *   <li>hand over once nothing is left to wait for, or when the drain timeout is up.</li>
 * </ol>
 *
 * <p>Idle means: nothing unread, no response under way, and the app waiting to read it (its JDK
 * selector key, else epoll, else, in a thread-per-connection server, a thread blocked reading it;
 * see {@link ReadWaits}), and, where tcp_info can be read, the client did not speak last.
 *
 * <p>What a look costs is what the drain costs: the requirement is at most 0.1 s of CPU per
 * second of drain. A look is one FIONREAD per connection and a walk over the JDK selectors'
 * keys; /proc/self/fd is listed once a second, epoll's view read only for a quiet connection no
 * JDK key tells about, the threads' syscalls at most once a second.
 */
final class Drain {

    /** How often, at most, the threads are asked which connection each is blocked reading. */
    static final long BLOCKED_CHECK_NANOS = 1000000000L;
    /**
     * How often /proc/self/fd is listed again during a drain: for a connection that a thread
     * already inside accept(2) took late, or an fd number the app reused.
     */
    static final long RESCAN_NANOS = 1000000000L;
    /** How long a connection we half-closed may take to go away before the drain stops waiting. */
    static final long HALF_CLOSED_LINGER_MS = 1000;

    private final JdkInternals jdk;
    private final AdoptedListeners listeners;
    private final long timeoutMs;
    private final long graceMs;
    private final java.lang.instrument.Instrumentation inst;
    private final java.util.function.Consumer<ClassLoader> exportBridge;
    private final ReadWaits waits = new ReadWaits();
    private final TcpExchange exchange = new TcpExchange();
    private boolean blindSaid;
    private final SelectorKeys selectorKeys;
    private final DrainWrites writes;

    /**
     * Built when the drain begins ({@link DrainTrigger}), not at start-up.
     *
     * @param exportBridge how a hooked class outside the JDK (Netty's) gets access to the bridge
     */
    Drain(JdkInternals jdk, AdoptedListeners listeners, long timeoutMs, long graceMs,
            java.lang.instrument.Instrumentation inst, java.util.function.Consumer<ClassLoader> exportBridge) {
        this.jdk = jdk;
        this.listeners = listeners;
        this.timeoutMs = timeoutMs;
        this.graceMs = graceMs;
        this.inst = inst;
        this.exportBridge = exportBridge;
        this.selectorKeys = new SelectorKeys(jdk);
        this.writes = new DrainWrites(jdk);
        TcpExchange.useLoadedClassesOf(inst);
    }

    /** One drain's state, kept by the drain thread from look to look. */
    private static final class Progress {
        final long start;
        final long deadline;
        /**
         * Threads blocked reading a connection mean "idle" only in a thread-per-connection server,
         * recognisable by its blocking acceptor; in a selector-based one a thread reading a
         * connection is in the middle of a request (httpserver reads bodies that way).
         */
        final boolean threadPerConnection;
        final Connections connections;
        /** Reused for every connection at every look: the loop allocates nothing per connection. */
        final ConnectionVerdict.Look look = new ConnectionVerdict.Look();
        boolean rescan = true;
        long lastScan;
        long lastBlockedCheck = System.nanoTime() - BLOCKED_CHECK_NANOS;
        long pollMs = LookSchedule.MIN_POLL_MS;
        long lastFingerprint;
        int looks;
        int idleClosed;
        int released;
        boolean timedOut;

        // What the current look has seen so far; epoll's and the threads' views are read only
        // if some quiet connection needs them.
        SelectorKeys.Interest interest;
        int[] epollReading;
        Set<Integer> blockedReading;
        long fingerprint;
        boolean graceRunning;
        int waiting;
        int remaining;

        Progress(long start, long deadline, boolean threadPerConnection, Connections connections) {
            this.start = start;
            this.deadline = deadline;
            this.threadPerConnection = threadPerConnection;
            this.connections = connections;
        }
    }

    /**
     * Puts the write path in place: the bridge's editor, then the hooks. False (with one
     * warning) when the hooks did not take: responses then go out as the app makes them, and
     * connections end only by the grace-period rule.
     */
    private boolean installWritePath() {
        if (inst == null) {
            return false;
        }
        HookTransformer transformer = HookTransformer.forDrainWrites(exportBridge);
        try {
            jdk.setWrites(writes);
            transformer.install(inst);
        } catch (Throwable t) {
            Log.warn("drain: cannot end keep-alive connections by the protocol (" + Log.describe(t)
                    + "); idle ones are closed after " + graceMs + " ms as before");
            return false;
        }
        if (!transformer.applied().contains(WRITE_HOOK)) {
            Log.warn("drain: the write hook did not take (" + transformer.failed() + "); idle connections are"
                    + " closed after " + graceMs + " ms instead");
            return false;
        }
        return true;
    }

    private static final String WRITE_HOOK =
            "sun/nio/ch/IOUtil.write(Ljava/io/FileDescriptor;Ljava/nio/ByteBuffer;JZZILsun/nio/ch/NativeDispatcher;)I";

    /** The steps of the class comment, in order; returns when it hands over to the app's shutdown. */
    void drain() {
        long start = System.nanoTime();
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
        boolean protocolEnds = installWritePath();
        AcceptStopper stopper = new AcceptStopper(jdk, listeners);
        if (!stopAccepting(stopper)) {
            return;
        }
        Log.info("drain (pid " + pid() + "): stopped accepting on " + keys + "; letting requests in flight finish (at most "
                + timeoutMs + " ms)" + (protocolEnds ? "; keep-alive connections end with their next response" : ""));
        long cpuAtStart = threadCpuMs();
        Connections connections = new Connections(jdk, ports, writes);
        writes.follow(connections);
        writes.goawayFrom(start + graceMs * 1000000L);
        Progress p = new Progress(start, start + timeoutMs * 1000000L, stopper.stoppedBlockingAcceptors(), connections);
        if (lookUntilDone(stopper, p)) {
            sayHowItEnded(p, cpuAtStart);
        }
    }

    /** Step 2; false, with one warning, if any listener would not stop: a drain that keeps accepting never ends. */
    private boolean stopAccepting(AcceptStopper stopper) {
        List<String> failed = stopper.stop(waits.epollReaders());
        if (!failed.isEmpty()) {
            Log.warn("cannot stop accepting on " + failed + "; no drain, the application stops as on a plain SIGTERM");
            return false;
        }
        return true;
    }

    /**
     * Step 3: looks until nothing is left to wait for or the timeout is up ({@link LookSchedule}).
     * False when it gave up early, without the summary line: the connections could not be read
     * (said in a warning), or the thread was interrupted.
     */
    private boolean lookUntilDone(AcceptStopper stopper, Progress p) {
        while (true) {
            stopper.keepStopped(); // an app that re-arms accepts on a silenced epoll registration
            long now = System.nanoTime();
            boolean listed = p.rescan || LookSchedule.due(now, p.lastScan, RESCAN_NANOS);
            List<Connections.Connection> live;
            try {
                if (listed) {
                    p.connections.scan();
                    jdk.followFds(p.connections.followed());
                    p.lastScan = now;
                    p.rescan = false;
                }
                live = p.connections.look();
            } catch (IOException e) {
                Log.warn("drain: cannot read this process's connections (" + Log.describe(e)
                        + "); handing over to the application's shutdown");
                return false;
            }
            lookOnce(live, p, now);
            int next = LookSchedule.afterLook(p.remaining, listed, now, p.deadline);
            if (next == LookSchedule.DONE) {
                return true;
            } else if (next == LookSchedule.TIMED_OUT) {
                p.timedOut = true;
                return true;
            } else if (next == LookSchedule.RESCAN_FIRST) {
                p.rescan = true;
            } else if (!pause(p, now)) {
                return false;
            }
        }
    }

    /** One look over the connections: each one's verdict, acted on, and counted in {@code p}. */
    private void lookOnce(List<Connections.Connection> live, Progress p, long now) {
        p.looks++;
        p.interest = live.isEmpty() ? null : selectorKeys.look();
        p.epollReading = null;
        p.blockedReading = null;
        p.graceRunning = false;
        p.fingerprint = live.size();
        p.waiting = 0;
        p.remaining = 0;
        for (Connections.Connection c : live) {
            if (!c.released) {
                judge(c, p, now);
            }
        }
    }

    /** One connection at one look: what it shows, the app's view if it may be idle, the verdict, acted on. */
    private void judge(Connections.Connection c, Progress p, long now) {
        ConnectionVerdict.Look look = p.look;
        describe(c, look);
        boolean exact = false;
        if (ConnectionVerdict.mayBeIdle(look)) {
            exact = askTheApp(c, p, now);
            look.appWaits = c.appWaits;
            if (look.appWaits == ConnectionVerdict.APP_WAITS_TO_READ) {
                askTcp(c, look);
            }
        }
        int verdict = c.verdict.decide(look, now, p.start, graceMs * 1000000L, HALF_CLOSED_LINGER_MS * 1000000L);
        p.fingerprint = LookSchedule.fingerprint(p.fingerprint, c.inode, verdict,
                look.appWaits == ConnectionVerdict.APP_WAITS_TO_READ);
        if (verdict == ConnectionVerdict.RELEASE) {
            c.released = true;
            p.released++;
            return;
        }
        p.remaining++;
        if (verdict == ConnectionVerdict.CLOSE_IDLE) {
            if (halfClose(c, exact ? p.interest : null, look.lastWriteNanos, p)) {
                c.halfClosed = true;
                c.halfClosedAt = now;
                p.idleClosed++;
            }
        } else if (c.verdict.graceRunning(look)) {
            p.graceRunning = true; // look again soon
        } else {
            p.waiting++;
        }
    }

    /** What the connection itself shows at this look; the app's view starts as busy. */
    private void describe(Connections.Connection c, ConnectionVerdict.Look look) {
        look.unread = !c.quiet;
        look.upgraded = c.has(Connections.Connection.UPGRADED);
        look.inResponse = c.has(Connections.Connection.IN_RESPONSE);
        look.lastWriteNanos = c.lastWriteNanos;
        look.finSentNanos = c.finSentNanos != 0 ? c.finSentNanos : c.halfClosed ? c.halfClosedAt : 0;
        look.http = c.has(Connections.Connection.HTTP) || c.has(Connections.Connection.HTTP2)
                || writes.httpPort(c.port)
                || (c.has(Connections.Connection.TLS) && writes.tlsResponses());
        look.otherProtocol = !look.http && c.otherProtocol();
        look.answerOwed = false;
        look.peerClosed = false;
        look.appWaits = ConnectionVerdict.APP_BUSY;
    }

    /**
     * Whether the app waits to read a quiet connection, into {@code c.appWaits}: its JDK selector
     * key if it has one, else epoll, else, in a thread-per-connection server, its threads. True when
     * a selector key told: that overrides epoll's possibly stale view of the same fd.
     */
    private boolean askTheApp(Connections.Connection c, Progress p, long now) {
        if (p.interest != null && p.interest.known(c.fd)) {
            c.appWaits = p.interest.waitingToRead(c.fd) ? ConnectionVerdict.APP_WAITS_TO_READ
                    : ConnectionVerdict.APP_BUSY;
            return true;
        }
        if (p.epollReading == null) {
            p.epollReading = waits.epollReaders(p.connections.epollFds());
        }
        if (java.util.Arrays.binarySearch(p.epollReading, c.fd) >= 0) {
            c.appWaits = ConnectionVerdict.APP_WAITS_TO_READ;
        } else if (!p.threadPerConnection) {
            c.appWaits = ConnectionVerdict.APP_BUSY;
        } else {
            askTheThreads(c, p, now);
        }
        return false;
    }

    /**
     * Quiet but no selector waits on it: a thread may be blocked reading it. Asking every thread
     * costs far more than a look (the kernel waits for each thread to be off CPU), so only for one
     * quiet on two looks, and at most once a second; in between it keeps what it had.
     */
    private void askTheThreads(Connections.Connection c, Progress p, long now) {
        boolean unwatchedBefore = c.unwatchedLook == p.looks - 1;
        c.unwatchedLook = p.looks;
        if (!unwatchedBefore) {
            c.appWaits = ConnectionVerdict.APP_BUSY;
            return;
        }
        if (p.blockedReading == null && LookSchedule.due(now, p.lastBlockedCheck, BLOCKED_CHECK_NANOS)) {
            p.blockedReading = waits.blockedReaders();
            p.lastBlockedCheck = now;
        }
        if (p.blockedReading != null) {
            c.appWaits = p.blockedReading.contains(c.fd) ? ConnectionVerdict.APP_WAITS_TO_READ
                    : ConnectionVerdict.APP_BUSY;
        }
    }

    /**
     * What TCP says of a connection the app waits to read: a request that arrived and is not
     * answered yet is busy whatever epoll says (Netty keeps read interest while another task
     * answers; known where tcp_info is readable), and whether the client closed its side.
     */
    private void askTcp(Connections.Connection c, ConnectionVerdict.Look look) {
        look.answerOwed = exchange.answerOwed(c.fd);
        if (!blindSaid && exchange.blind()) {
            blindSaid = true;
            Log.info("drain (pid " + pid() + "): Netty's NIO transport runs without its native library, so"
                    + " an idle keep-alive connection cannot be told from one whose answer is still being"
                    + " made; each is waited for until its next response ends it or the drain timeout."
                    + " With netty-transport-native-epoll on the class path, idle ones are closed after"
                    + " the grace period");
        }
        try {
            look.peerClosed = jdk.peerClosed(c.handle);
        } catch (IOException | RuntimeException gone) {
            look.peerClosed = true;
        }
    }

    /**
     * The back-off between two looks ({@link LookSchedule#nextPollMs}). False if the thread was
     * interrupted: then the drain hands over at once.
     */
    private boolean pause(Progress p, long now) {
        p.pollMs = LookSchedule.nextPollMs(p.pollMs, p.fingerprint != p.lastFingerprint, p.graceRunning, graceMs);
        p.lastFingerprint = p.fingerprint;
        try {
            Thread.sleep(LookSchedule.sleepMs(p.pollMs, now, p.deadline));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Step 4's last line: how each connection ended and what the drain cost. The drain thread's
     * own CPU, so that a drain that spins shows in the log (figures from /proc/thread-self/stat,
     * in 10 ms ticks).
     */
    private void sayHowItEnded(Progress p, long cpuAtStart) {
        long ms = (System.nanoTime() - p.start) / 1000000L;
        long cpuAtEnd = threadCpuMs();
        String cost = p.looks + " looks" + (cpuAtStart < 0 || cpuAtEnd < 0 ? "" : ", " + (cpuAtEnd - cpuAtStart) + " ms CPU");
        String ended = writes.ended() + " ended by their response" + (writes.nettyMarked() > 0 ? " (" + writes.nettyMarked()
                + " Netty responses marked)" : "") + (writes.goaways() > 0 ? ", " + writes.goaways() + " HTTP/2 GOAWAY" : "")
                + ", " + p.idleClosed + " idle closed after " + graceMs + " ms, " + p.released + " left to the application";
        if (p.timedOut) {
            Log.warn("drain (pid " + pid() + "): timeout after " + ms + " ms with " + p.waiting + " connection(s) still busy ("
                    + ended + "; " + cost + "); handing over to the application's shutdown");
        } else {
            Log.info("drain (pid " + pid() + "): done in " + ms + " ms (connections: " + ended + "; " + cost
                    + "); handing over to the application's shutdown");
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

    static String pid() {
        String self = ReadWaits.readLink("/proc/self");
        return self == null ? "?" : self;
    }

    /**
     * FIN on an idle connection; false if its fd no longer names the same socket, or it is no
     * longer idle. The last checks run right before shutdown(2), so that the window in which a
     * request can slip in is microseconds, not a look's length.
     */
    private boolean halfClose(Connections.Connection c, SelectorKeys.Interest seen, long lastWriteSeen, Progress p) {
        // The app may have closed the fd and opened another on the same number since the scan.
        if (!("socket:[" + c.inode + "]").equals(ReadWaits.readLink("/proc/self/fd/" + c.fd))) {
            p.rescan = true;
            return false;
        }
        try {
            if (seen != null && !selectorKeys.stillWaitingToRead(seen, c.fd)) {
                return false;
            }
            if (jdk.available(c.handle) > 0 || c.lastWriteNanos != lastWriteSeen
                    || c.has(Connections.Connection.IN_RESPONSE)) {
                return false;
            }
            jdk.shutdownOutput(c.handle);
            return true;
        } catch (IOException e) {
            return false; // already closed or reset: nothing to wait for either
        }
    }
}
