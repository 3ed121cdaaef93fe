package io.github.hotdeploy.agent.drain;

import static io.github.hotdeploy.agent.bootstrap.BridgeContract.NETTY_RESPONSE;
import static io.github.hotdeploy.agent.bootstrap.BridgeContract.READ_DONE;
import static io.github.hotdeploy.agent.bootstrap.BridgeContract.WRITE_ARRAY;
import static io.github.hotdeploy.agent.bootstrap.BridgeContract.WRITE_BUFFER;
import static io.github.hotdeploy.agent.bootstrap.BridgeContract.WRITE_BUFFERS;
import static io.github.hotdeploy.agent.bootstrap.BridgeContract.WRITE_DONE;
import static io.github.hotdeploy.agent.bootstrap.BridgeContract.WRITE_TLS;

import io.github.hotdeploy.agent.Log;
import io.github.hotdeploy.agent.bootstrap.JdkInternals;
import io.github.hotdeploy.agent.drain.http.Bytes;
import io.github.hotdeploy.agent.drain.http.ResponseStream;
import io.github.hotdeploy.agent.drain.http.WriteEditor;
import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Function;

/**
 * The agent's side of the drain's write path (see the bridge): for each write the bridge offers,
 * the {@link WriteEditor} of its connection (by fd, for the connections the drain follows) or of
 * its TLS engine says what goes out instead; once the write is done, the editor learns how much
 * left, and a response that ends the connection is followed by our FIN. Runs in the app's
 * writing threads, one write of a connection at a time (its channel's or engine's lock), so the
 * editors need no locking; what the drain thread reads of a connection is published in volatile
 * fields.
 */
final class DrainWrites implements Function<Object[], Object> {

    /** A write between its preparation and its end. */
    private static final class Pending {
        final Connections.Connection connection; // null for a TLS engine
        final WriteEditor editor;
        final WriteEditor.Edit edit;
        final FileDescriptor fd;

        Pending(Connections.Connection connection, WriteEditor editor, WriteEditor.Edit edit, FileDescriptor fd) {
            this.connection = connection;
            this.editor = editor;
            this.edit = edit;
            this.fd = fd;
        }
    }

    private final JdkInternals jdk;
    private volatile Connections connections;
    // Engines die with their connections: weak keys. Identity: SSLEngineImpl keeps Object's equals.
    private final Map<Object, WriteEditor> engines = Collections.synchronizedMap(new WeakHashMap<Object, WriteEditor>());
    private final NettyResponses netty = new NettyResponses();
    private volatile boolean tlsResponses;
    // ports on which some connection carried an HTTP/1.x response during the drain
    private final java.util.Set<Integer> httpPorts = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile int ended;

    DrainWrites(JdkInternals jdk) {
        this.jdk = jdk;
    }

    void follow(Connections connections) {
        this.connections = connections;
    }

    /**
     * Never throws into the bridge: a failure (a bug of ours) is reported once, and the connection's
     * later writes go out as the app makes them.
     */
    @Override
    public Object apply(Object[] w) {
        try {
            return dispatch(w);
        } catch (RuntimeException | Error e) {
            if (w[0].equals(WRITE_DONE)) {
                Pending p = (Pending) w[1];
                p.editor.disable();
                if (!failed) {
                    failed = true;
                    Log.warn("drain: the write path failed (" + Log.describe(e) + "); that connection's responses"
                            + " go out as the application makes them");
                }
                return p.edit.replacement() == null ? (Long) w[2] : (Long) 0L;
            }
            return null;
        }
    }

    private volatile boolean failed;
    // System.nanoTime from which an HTTP/2 connection gets our GOAWAY at its next frame boundary
    private volatile long goawayAtNanos;
    private volatile boolean goawayArmed;
    private volatile int goaways;

    /** TLS engines: no pipelining is seen through them; the GOAWAY as for sockets. */
    private final ResponseStream.MarkPolicy tlsPolicy = new ResponseStream.MarkPolicy() {
        @Override
        public boolean mayClose() {
            return true;
        }

        @Override
        public boolean goawayDue() {
            return DrainWrites.this.goawayDue();
        }
    };

    /**
     * HTTP/2 connections get GOAWAY from this moment on (the drain's start plus the grace period):
     * one that ends within the grace period on its own (a client that closes after its requests)
     * is not disturbed; one that stays gets it, and its client opens no new stream on it.
     */
    void goawayFrom(long nanos) {
        goawayAtNanos = nanos;
        goawayArmed = true;
    }

    boolean goawayDue() {
        return goawayArmed && System.nanoTime() - goawayAtNanos >= 0;
    }

    int goaways() {
        return goaways;
    }

    private Object dispatch(Object[] w) {
        switch ((Integer) w[0]) {
            case WRITE_BUFFER:
                return prepare(w[1], Bytes.of((ByteBuffer) w[2]));
            case WRITE_BUFFERS:
                return prepare(w[1], Bytes.of((ByteBuffer[]) w[2], (Integer) w[3], (Integer) w[4]));
            case WRITE_ARRAY:
                return prepare(w[1], Bytes.of((byte[]) w[2], (Integer) w[3], (Integer) w[4]));
            case WRITE_TLS:
                return prepareTls(w[1], Bytes.of((ByteBuffer[]) w[2], (Integer) w[3], (Integer) w[4]));
            case WRITE_DONE:
                return done((Pending) w[1], (Long) w[2]);
            case NETTY_RESPONSE:
                netty.close(w[1]);
                return null;
            case READ_DONE: {
                Connections.Connection c = connection((FileDescriptor) w[1]);
                if (c != null) {
                    c.reads++;
                }
                return null;
            }
            default:
                return null;
        }
    }

    private Object prepare(Object fdObject, Bytes bytes) {
        FileDescriptor fd = (FileDescriptor) fdObject;
        Connections.Connection c = connection(fd);
        if (c == null || c.editor.disabled()) {
            return null;
        }
        WriteEditor.Edit edit = c.editor.prepare(bytes, c);
        return new Object[] {new Pending(c, c.editor, edit, fd), edit.replacement()};
    }

    private Object prepareTls(Object engine, Bytes bytes) {
        WriteEditor editor = engines.get(engine);
        if (editor == null) {
            editor = new WriteEditor();
            engines.put(engine, editor);
        }
        if (editor.disabled()) {
            return null;
        }
        WriteEditor.Edit edit = editor.prepare(bytes, tlsPolicy);
        return new Object[] {new Pending(null, editor, edit, null), edit.replacement()};
    }

    private Long done(Pending p, long written) {
        boolean goawayBefore = p.editor.stream().goawaySent();
        int consumed = p.editor.written(p.edit, written);
        ResponseStream stream = p.editor.stream();
        if (!goawayBefore && stream.goawaySent()) {
            goaways++;
        }
        Connections.Connection c = p.connection;
        if (c == null) {
            if (stream.sawResponse()) {
                tlsResponses = true;
            }
            return (long) consumed;
        }
        c.publish(stream, System.nanoTime());
        if (stream.sawResponse() && !httpPorts.contains(c.port)) {
            httpPorts.add(c.port);
        }
        if (p.editor.takeFinDue()) {
            try {
                jdk.shutdownOutput(p.fd);
                c.finSentNanos = System.nanoTime();
                ended++;
            } catch (IOException closedMeanwhile) {
                // the client closed first: nothing to end
            }
        }
        return (long) consumed;
    }

    /** The followed connection this fd is, or null (not followed, or its number now names another socket). */
    private Connections.Connection connection(FileDescriptor fd) {
        Connections followed = connections;
        if (followed == null) {
            return null;
        }
        int n;
        try {
            n = jdk.fdVal(fd);
        } catch (IOException e) {
            return null;
        }
        Connections.Connection c = followed.byFd(n);
        if (c == null) {
            return null;
        }
        if (c.appFd != fd) {
            // first write seen, or another FileDescriptor object: make sure the number still names
            // the socket the drain found (the app may have closed it and reused the number)
            if (!("socket:[" + c.inode + "]").equals(ReadWaits.readLink("/proc/self/fd/" + n))) {
                return null;
            }
            c.appFd = fd;
        }
        return c;
    }

    /** Some connection on this port carried an HTTP/1.x response during the drain. */
    boolean httpPort(int port) {
        return httpPorts.contains(port);
    }

    /** Some TLS engine carried an HTTP/1.x response during the drain. */
    boolean tlsResponses() {
        return tlsResponses;
    }

    /** Connections the protocol ended (a response with close left in full, then our FIN). */
    int ended() {
        return ended;
    }

    int nettyMarked() {
        return netty.marked();
    }
}
