package io.github.hotdeploy.agent.adoption;

import java.io.File;
import java.net.InetAddress;
import java.util.List;

/**
 * Which inherited listener, if any, a bind stands for.
 *
 * <ul>
 *   <li>Same port, and the same address, where 0.0.0.0 and :: both mean "every address".</li>
 *   <li>A wildcard bind also takes an inherited socket on a specific address: the operator chose
 *       that address on start_server's command line, and it only narrows what the app asked for.</li>
 *   <li>A bind to a specific address never takes a wildcard socket (that would widen exposure):
 *       it proceeds normally (and fails with "Address already in use", as it would anyway).</li>
 *   <li>Port 0 never matches: the app wants an ephemeral port.</li>
 *   <li>Unix sockets: the same path, as given or as an absolute path.</li>
 * </ul>
 */
final class BindMatcher {

    /** The outcome: a listener, or none, with a reason when the app probably expected one. */
    static final class Match {
        final InheritedListener listener;
        final String mismatch;

        private Match(InheritedListener listener, String mismatch) {
            this.listener = listener;
            this.mismatch = mismatch;
        }
    }

    private static final Match NONE = new Match(null, null);

    private BindMatcher() {
    }

    static Match inet(List<InheritedListener> listeners, InetAddress address, int port) {
        if (port <= 0 || address == null) {
            return NONE;
        }
        InheritedListener specific = null;
        InheritedListener wildcard = null;
        for (InheritedListener listener : listeners) {
            if (listener.isUnix() || listener.address().getPort() != port) {
                continue;
            }
            if (listener.isWildcard()) {
                wildcard = wildcard == null ? listener : wildcard;
            } else if (address.isAnyLocalAddress() || InheritedListeners.sameAddress(address, listener.address().getAddress())) {
                specific = specific == null ? listener : specific;
            }
        }
        if (address.isAnyLocalAddress()) {
            InheritedListener chosen = wildcard != null ? wildcard : specific;
            return chosen == null ? NONE : new Match(chosen, null);
        }
        if (specific != null) {
            return new Match(specific, null);
        }
        if (wildcard != null) {
            return new Match(null, "the app binds " + address.getHostAddress() + ":" + port
                    + " but the inherited socket '" + wildcard.key() + "' listens on every address");
        }
        return NONE;
    }

    static Match unix(List<InheritedListener> listeners, String path) {
        if (path == null || path.isEmpty()) {
            return NONE;
        }
        String absolute = new File(path).getAbsoluteFile().toPath().normalize().toString();
        for (InheritedListener listener : listeners) {
            if (!listener.isUnix()) {
                continue;
            }
            String theirs = listener.path();
            if (theirs.equals(path)
                    || new File(theirs).getAbsoluteFile().toPath().normalize().toString().equals(absolute)) {
                return new Match(listener, null);
            }
        }
        return NONE;
    }
}
