package io.github.hotdeploy.agent.readiness;

import static io.github.hotdeploy.agent.bootstrap.BridgeContract.ACCEPT_ENTERED;
import static io.github.hotdeploy.agent.bootstrap.BridgeContract.ACCEPT_INTEREST;
import static io.github.hotdeploy.agent.bootstrap.BridgeContract.NETTY_LISTEN;
import static io.github.hotdeploy.agent.bootstrap.BridgeContract.SELECTING;

import io.github.hotdeploy.agent.Log;
import io.github.hotdeploy.agent.adoption.Adopter;
import io.github.hotdeploy.agent.adoption.InheritedListener;
import io.github.hotdeploy.agent.bootstrap.JdkInternals;
import io.github.hotdeploy.protocol.Readiness;
import java.io.File;
import java.io.FileDescriptor;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Decides when this generation is serving and tells start_server once (READY=1, MAINPID=pid).
 *
 * <p>An adopted listener is <em>accepted on</em> from the first moment the app shows it will take
 * connections from it: a thread enters accept() on it (blocking or not; ServerSocket,
 * ServerSocketChannel, an async accept), or the selector holding a key for it with OP_ACCEPT
 * interest selects (not merely the registration: the old generation stops accepting the moment
 * it is told to drain, so a listener registered but not yet selected on would leave new
 * connections waiting in the backlog), or Netty's native transport calls listen() on it. Connections that arrive before that wait in the
 * shared backlog, and the old generation keeps serving them until it is stopped.
 *
 * <p>Ready when every adopted listener is accepted on and either every inherited stream listener
 * is adopted, or {@code partialReadyDelayMs} passed since the last change with no further bind:
 * an app that binds only some of start_server's sockets still becomes ready, a little later.
 * An app that adopts nothing never reports ready: it does not serve what start_server offers.
 *
 * <p>The accept watcher is installed in the bridge from the first adoption until READY, so the
 * request path costs one null check afterwards.
 */
public final class ReadinessTracker implements Adopter.Listener, Consumer<Object[]> {

    /** How the tracker switches the bridge's accept watcher on and off, and reports the end. */
    public interface Watcher {
        void watchAccepts(Consumer<Object[]> watcher);

        /** READY was sent and every inherited listener is adopted: no hook is needed any more. */
        void allAdoptedAndReady();
    }

    private static final class Adoption {
        final InheritedListener listener;
        final FileDescriptor appFd;
        final int appFdNumber;
        boolean accepting;
        // The selector holding the listener's OP_ACCEPT key, until that selector first selects:
        // registration happens long before a server starts its selector thread (httpserver
        // registers in HttpServer.create, selects only after start()).
        Object pendingSelector;

        Adoption(InheritedListener listener, FileDescriptor appFd, int appFdNumber) {
            this.listener = listener;
            this.appFd = appFd;
            this.appFdNumber = appFdNumber;
        }
    }

    private final List<InheritedListener> inherited;
    private final NotifySocket notify;
    private final long partialDelayMs;
    private final JdkInternals jdk;
    private final Watcher watcher;
    private final Map<String, Adoption> adoptions = new LinkedHashMap<String, Adoption>();
    private long lastChangeNanos;
    private boolean sent;
    private boolean timerRunning;

    public ReadinessTracker(List<InheritedListener> inherited, NotifySocket notify, long partialDelayMs,
            JdkInternals jdk, Watcher watcher) {
        this.inherited = inherited;
        this.notify = notify;
        this.partialDelayMs = partialDelayMs;
        this.jdk = jdk;
        this.watcher = watcher;
    }

    @Override
    public void adopted(InheritedListener listener, FileDescriptor appFd, int appFdNumber) {
        if (listener.isExtra()) {
            return; // a port the app chose itself, held by start_server: not what it was asked to serve
        }
        synchronized (this) {
            if (sent) {
                return;
            }
            // Re-adoption (the app closed and re-bound) replaces the old entry.
            adoptions.put(listener.key(), new Adoption(listener, appFd, appFdNumber));
            lastChangeNanos = System.nanoTime();
        }
        watcher.watchAccepts(this);
    }

    /** An accept-side event from the bridge: {@code [kind, FileDescriptor | SelectionKey | Netty's fd number]}. */
    @Override
    public void accept(Object[] event) {
        int kind = (Integer) event[0];
        FileDescriptor fd = null;
        int fdNumber = -1;
        if (kind == SELECTING) {
            synchronized (this) {
                for (Adoption adoption : adoptions.values()) {
                    if (!adoption.accepting && adoption.pendingSelector == event[1]) {
                        adoption.accepting = true;
                        adoption.pendingSelector = null;
                        lastChangeNanos = System.nanoTime();
                        decide();
                    }
                }
            }
            return;
        }
        if (kind == ACCEPT_ENTERED) {
            fd = (FileDescriptor) event[1];
        } else if (kind == ACCEPT_INTEREST) {
            SelectionKey key = (SelectionKey) event[1];
            FileDescriptor keyFd = jdk.channelFd(key);
            if (keyFd == null) {
                return;
            }
            synchronized (this) {
                for (Adoption adoption : adoptions.values()) {
                    if (!adoption.accepting && adoption.appFd == keyFd) {
                        adoption.pendingSelector = key.selector();
                    }
                }
            }
            return;
        } else if (kind == NETTY_LISTEN) {
            fdNumber = (Integer) event[1];
        }
        if (fd == null && fdNumber < 0) {
            return;
        }
        synchronized (this) {
            for (Adoption adoption : adoptions.values()) {
                if (!adoption.accepting && (adoption.appFd == fd || adoption.appFdNumber == fdNumber)) {
                    adoption.accepting = true;
                    lastChangeNanos = System.nanoTime();
                    decide();
                    return;
                }
            }
        }
    }

    // Caller holds the lock.
    private void decide() {
        if (sent || adoptions.isEmpty()) {
            return;
        }
        for (Adoption adoption : adoptions.values()) {
            if (!adoption.accepting) {
                return;
            }
        }
        if (adoptions.size() >= inherited.size()) {
            send();
        } else if (!timerRunning) {
            timerRunning = true;
            Thread timer = new Thread(new Runnable() {
                @Override
                public void run() {
                    awaitRemainingBinds();
                }
            }, "start_server-agent readiness");
            timer.setDaemon(true);
            timer.start();
        }
    }

    private void awaitRemainingBinds() {
        try {
            while (true) {
                long waitMs;
                synchronized (this) {
                    if (sent) {
                        return;
                    }
                    waitMs = partialDelayMs - (System.nanoTime() - lastChangeNanos) / 1000000L;
                    if (waitMs <= 0) {
                        if (allAccepting()) {
                            send();
                        }
                        return;
                    }
                }
                Thread.sleep(waitMs);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (this) {
                timerRunning = false;
                if (!sent) {
                    decide(); // a listener became accepted on while we slept or exited
                }
            }
        }
    }

    private boolean allAccepting() {
        for (Adoption adoption : adoptions.values()) {
            if (!adoption.accepting) {
                return false;
            }
        }
        return true;
    }

    // Caller holds the lock.
    private void send() {
        sent = true;
        watcher.watchAccepts(null);
        List<String> serving = new ArrayList<String>(adoptions.keySet());
        List<String> unbound = new ArrayList<String>();
        for (InheritedListener listener : inherited) {
            if (!adoptions.containsKey(listener.key())) {
                unbound.add(listener.key());
            }
        }
        try {
            notify.send(Readiness.readyMessage(pid()));
            Log.info("ready: accepting on " + serving
                    + (unbound.isEmpty() ? "" : " (the app did not bind " + unbound + ")")
                    + "; told start_server");
        } catch (Exception e) {
            Log.warn("could not send READY=1 to start_server's notify socket " + notify + " ("
                    + Log.describe(e) + ")");
        }
        if (unbound.isEmpty()) {
            watcher.allAdoptedAndReady();
        }
    }

    /** True once READY=1 has been sent: start_server is about to stop the old generation. */
    public synchronized boolean sent() {
        return sent;
    }

    static long pid() {
        try {
            // /proc/self resolves to the pid; works on JDK 8 without loading JMX.
            return Long.parseLong(new File("/proc/self").getCanonicalFile().getName());
        } catch (Exception e) {
            return -1;
        }
    }
}
