package io.github.hotdeploy.launcher.readiness;

import io.github.hotdeploy.protocol.Readiness;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the agents in one generation's JVMs told start_server over its notify socket: which JVMs
 * run the agent, which sockets they adopted, and which TCP ports the application bound itself.
 * Written by the generation's {@link NotifyListener} thread, read by the supervisor's.
 */
public final class AgentReports {

    /** The application in process {@code pid} bound a TCP socket of its own, fd {@code fd}, to {@code key}. */
    public record OwnBind(long pid, int fd, String key) {
    }

    /** A JVM of the generation, {@code parent}, started process {@code pid} running {@code program} before it took a socket. */
    public record Started(long parent, long pid, String program) {
    }

    /** As many as an agent reports; more would be the reports of another program than ours. */
    private static final int MAX_STARTED = 16;

    private final Set<Long> agents = new LinkedHashSet<>();
    private final List<Started> started = new ArrayList<>();
    private final Set<String> adopted = new LinkedHashSet<>();
    private final Map<String, OwnBind> ownBinds = new LinkedHashMap<>();
    private boolean ready;

    /** Records one datagram from process {@code sender} (already checked to be of the generation). */
    public synchronized void received(long sender, String datagram) {
        if (Readiness.has(datagram, Readiness.AGENT)) {
            agents.add(sender);
        }
        if (Readiness.isReady(datagram)) {
            ready = true;
        }
        String key = Readiness.value(datagram, Readiness.ADOPTED_PREFIX);
        if (key != null && !key.isEmpty()) {
            agents.add(sender);
            adopted.add(key);
        }
        String start = Readiness.value(datagram, Readiness.STARTED_PREFIX);
        if (start != null && started.size() < MAX_STARTED) {
            int space = start.indexOf(' ');
            try {
                started.add(new Started(sender, Long.parseLong(start.substring(0, space)), start.substring(space + 1)));
            } catch (RuntimeException malformed) {
                // not from our agent
            }
        }
        String bound = Readiness.value(datagram, Readiness.BOUND_PREFIX);
        if (bound != null) {
            int space = bound.indexOf(' ');
            try {
                int fd = Integer.parseInt(bound.substring(0, space));
                String boundKey = bound.substring(space + 1).trim();
                if (fd >= 0 && !boundKey.isEmpty()) {
                    // The latest bind of an address wins: an app may close and bind again.
                    ownBinds.remove(boundKey);
                    ownBinds.put(boundKey, new OwnBind(sender, fd, boundKey));
                }
            } catch (RuntimeException malformed) {
                // not from our agent: nothing to learn from it
            }
        }
    }

    /** The JVMs that said they run the agent, in the order they said it. */
    public synchronized List<Long> agents() {
        return new ArrayList<>(agents);
    }

    /** The keys of the sockets the generation's agents adopted. */
    public synchronized Set<String> adopted() {
        return new LinkedHashSet<>(adopted);
    }

    public synchronized List<OwnBind> ownBinds() {
        return new ArrayList<>(ownBinds.values());
    }

    /** The processes the generation's JVMs started before they took a socket, in the order reported. */
    public synchronized List<Started> started() {
        return new ArrayList<>(started);
    }

    public synchronized boolean ready() {
        return ready;
    }
}
