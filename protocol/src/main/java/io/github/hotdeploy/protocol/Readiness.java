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

    /*
     * The agent's own reports (sd_notify reserves X_ names for applications). start_server learns
     * from them which JVMs of a generation run the agent, which of the sockets each took, and
     * which ports the application bound itself, so that it can hold those across generations.
     */

    /** Sent once by an agent that found the inherited sockets: a JVM of this generation runs it. */
    public static final String AGENT = "X_START_SERVER_AGENT=1";

    /** Prefix of the key (as in SERVER_STARTER_PORT) of a socket the agent adopted. */
    public static final String ADOPTED_PREFIX = "X_START_SERVER_ADOPTED=";

    /**
     * Prefix of {@code FD KEY}: the application bound a TCP socket to a port of its own (not one
     * start_server passed), on fd FD in the sending process; KEY is the address as a
     * SERVER_STARTER_PORT key. It may go on to listen there (a shutdown, AJP or management port).
     */
    public static final String BOUND_PREFIX = "X_START_SERVER_BOUND=";

    /**
     * Prefix of {@code PID PROGRAM}: before it took any of the sockets, the application started
     * process PID running PROGRAM (its first argument, as given). That process inherits none of
     * the sockets (the JDK closes every fd above 2 in a process it starts): when it is the server,
     * its bind fails, and start_server names it as the cause.
     */
    public static final String STARTED_PREFIX = "X_START_SERVER_STARTED=";

    private Readiness() {
    }

    /** True if the datagram (newline-separated assignments) contains READY=1. */
    public static boolean isReady(String datagram) {
        return has(datagram, READY);
    }

    /** The message the agent sends once the app serves: READY=1 and the serving pid. */
    public static String readyMessage(long pid) {
        return READY + "\n" + MAINPID_PREFIX + pid + "\n";
    }

    /** The agent's hello: it runs in process {@code pid} and found the inherited sockets. */
    public static String agentMessage(long pid) {
        return AGENT + "\n" + MAINPID_PREFIX + pid + "\n";
    }

    /** The agent in {@code pid} adopted the socket with this key. */
    public static String adoptedMessage(String key, long pid) {
        return ADOPTED_PREFIX + key + "\n" + MAINPID_PREFIX + pid + "\n";
    }

    /** The application in {@code pid} bound a TCP socket of its own, fd {@code fd}, to {@code key}. */
    public static String boundMessage(int fd, String key, long pid) {
        return BOUND_PREFIX + fd + " " + key + "\n" + MAINPID_PREFIX + pid + "\n";
    }

    /** The application in {@code pid} started process {@code child} running {@code program}. */
    public static String startedMessage(long child, String program, long pid) {
        return STARTED_PREFIX + child + " " + program.replace('\n', ' ') + "\n" + MAINPID_PREFIX + pid + "\n";
    }

    /** The value of the first line {@code PREFIX...} of a datagram, or null. */
    public static String value(String datagram, String prefix) {
        for (String line : datagram.split("\n")) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).trim();
            }
        }
        return null;
    }

    /** True if the datagram has the line {@code assignment} (e.g. {@link #AGENT}). */
    public static boolean has(String datagram, String assignment) {
        for (String line : datagram.split("\n")) {
            if (assignment.equals(line.trim())) {
                return true;
            }
        }
        return false;
    }
}
