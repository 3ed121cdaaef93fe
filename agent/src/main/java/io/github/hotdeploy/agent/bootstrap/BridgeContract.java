package io.github.hotdeploy.agent.bootstrap;

/**
 * The numbers the agent and {@code sun.nio.ch.StartServerAgentBridge} exchange, written once.
 *
 * <p>The bridge is compiled against this class, but every field here is a compile-time
 * constant, so javac copies the values into the bridge and the bridge's class file keeps no
 * reference to it: at run time the bridge lives in the bootstrap loader and could not see this
 * class ({@code BridgeContractTest} checks both the values and the absence of that reference).
 */
public final class BridgeContract {

    private BridgeContract() {
    }

    /**
     * System property key under which the agent leaves an {@code Object[1]} before it initialises
     * the bridge; the bridge's static initialiser removes the key and puts its operations object
     * in the array, so that the agent makes no reflective call into it.
     */
    public static final String HANDOFF = "io.github.hotdeploy.agent.bridge-handoff";

    // ---- first element of the array handed to the bind decider: which JDK method asked
    public static final int NET_BIND = 1;
    public static final int PLAIN_BIND = 2;
    public static final int UNIX_BIND = 3;
    public static final int NETTY_BIND = 4;

    // ---- first element of the array handed to the accept watcher
    public static final int ACCEPT_ENTERED = 1;
    public static final int ACCEPT_INTEREST = 2;
    public static final int NETTY_LISTEN = 3;
    public static final int SELECTING = 4;

    // ---- operations for the agent: first element of the array handed to the bridge's apply()
    public static final int OP_SET_BINDS = 1;
    public static final int OP_SET_ACCEPTS = 2;
    public static final int OP_FD_VAL = 3;
    public static final int OP_NEW_FD = 4;
    public static final int OP_CONFIGURE_BLOCKING = 5;
    public static final int OP_LOCAL_ADDRESS = 6;
    public static final int OP_UNIX_LOCAL_PATH = 7;
    public static final int OP_SOCKET_TYPE = 8;
    public static final int OP_IS_LISTENING = 9;
    public static final int OP_DUP2 = 10;
    public static final int OP_PROBE_NET_BIND = 11;
    public static final int OP_CHANNEL_FD = 12;
    public static final int OP_SOCKET_IMPL_FD = 13;
    public static final int OP_MARK_PLAIN_BOUND = 14;
    public static final int OP_SET_INTEREST_FILTER = 15;
    public static final int OP_SHUTDOWN_OUTPUT = 16;
    public static final int OP_TRACK_SELECTORS = 17;
    public static final int OP_SELECTORS = 18;
    public static final int OP_AVAILABLE = 19;
    public static final int OP_EPOLL_CTL = 20;
    public static final int OP_RELEASE_ACCEPTOR = 21;
    public static final int OP_SET_WRITES = 22;
    public static final int OP_FOLLOW_FDS = 23;
    public static final int OP_PEER_CLOSED = 24;
    public static final int OP_SET_PROCESSES = 25;
    public static final int OP_SET_DAEMON_STOP = 26;

    // ---- first element of the array handed to the drain's write editor (see DrainWrites)
    /** {@code [kind, FileDescriptor, ByteBuffer]}: answered with {@code Object[] {handle, byte[] or null}}, or null. */
    public static final int WRITE_BUFFER = 1;
    /** {@code [kind, FileDescriptor, ByteBuffer[], Integer offset, Integer length]}: as WRITE_BUFFER. */
    public static final int WRITE_BUFFERS = 2;
    /** {@code [kind, FileDescriptor, byte[], Integer offset, Integer length]}: as WRITE_BUFFER. */
    public static final int WRITE_ARRAY = 3;
    /** {@code [kind, SSLEngine, ByteBuffer[], Integer offset, Integer length]}: as WRITE_BUFFER. */
    public static final int WRITE_TLS = 4;
    /** {@code [kind, handle, Long written]}: answered with the Long count of the app's bytes that left. */
    public static final int WRITE_DONE = 5;
    /** {@code [kind, io.netty.handler.codec.http.HttpResponse]} before its status line is encoded. */
    public static final int NETTY_RESPONSE = 6;
    /** {@code [kind, FileDescriptor, Long read]}: bytes arrived on a followed connection (no answer). */
    public static final int READ_DONE = 7;
}
