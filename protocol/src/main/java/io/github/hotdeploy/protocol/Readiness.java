package io.github.hotdeploy.protocol;

/**
 * How a generation tells start_server that it is really serving: the sd_notify protocol.
 *
 * <p>start_server binds a unix datagram socket and names it in {@code NOTIFY_SOCKET}; any child
 * that speaks sd_notify sends {@code READY=1} there. A JVM cannot create a unix datagram socket
 * without native code (JDK 16+ only has stream unix sockets), so start_server also hands Java
 * children a datagram socket already connected to that address, at the fd number given in
 * {@link #NOTIFY_FD_ENV}; the agent writes its messages to that fd.
 */
public final class Readiness {

    /** The sd_notify variable: the path of the datagram socket (a leading '@' means abstract). */
    public static final String NOTIFY_SOCKET_ENV = "NOTIFY_SOCKET";

    /** The fd of a datagram socket already connected to NOTIFY_SOCKET, for senders without native code. */
    public static final String NOTIFY_FD_ENV = "SERVER_STARTER_NOTIFY_FD";

    /** Sent once every inherited listener the app binds is adopted and accepted on. */
    public static final String READY = "READY=1";

    /** Sent when the generation begins its drain. */
    public static final String STOPPING = "STOPPING=1";

    /** Prefix of a free-form status line, shown in start_server's log. */
    public static final String STATUS_PREFIX = "STATUS=";

    /** Prefix of the pid of the process that serves, when it is not the spawned one. */
    public static final String MAINPID_PREFIX = "MAINPID=";

    private Readiness() {
    }

    /** True if the datagram (newline-separated assignments) contains READY=1. */
    public static boolean isReady(String datagram) {
        for (String line : datagram.split("\n")) {
            if (READY.equals(line.trim())) {
                return true;
            }
        }
        return false;
    }

    /** The message the agent sends once the app serves: READY=1 and the serving pid. */
    public static String readyMessage(long pid) {
        return READY + "\n" + MAINPID_PREFIX + pid + "\n";
    }
}
