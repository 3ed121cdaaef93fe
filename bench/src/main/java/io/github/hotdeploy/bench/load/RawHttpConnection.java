package io.github.hotdeploy.bench.load;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * One TCP connection speaking HTTP/1.1 over a plain java.net.Socket, one request at a time.
 * Deliberately minimal: no pool, no retry, no redirect, so that every failure reaches the caller,
 * already classified by the phase it happened in.
 */
final class RawHttpConnection implements AutoCloseable {

    private final Socket socket;
    private final DeadlineInputStream in;
    private final OutputStream out;
    private final ResponseReader reader;
    private int completedExchanges;
    private boolean reusable = true;
    private long lastUsedNanos = System.nanoTime();

    private RawHttpConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DeadlineInputStream(socket);
        this.out = socket.getOutputStream();
        this.reader = new ResponseReader(in);
    }

    static RawHttpConnection open(InetSocketAddress target, long deadlineNanos) throws RequestFailure {
        Socket socket = new Socket();
        try {
            long leftMs = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            if (leftMs <= 0) {
                throw new SocketTimeoutException("no time left to connect");
            }
            socket.setTcpNoDelay(true);
            socket.connect(target, (int) Math.min(Integer.MAX_VALUE, leftMs));
            return new RawHttpConnection(socket);
        } catch (IOException e) {
            closeQuietly(socket);
            throw connectFailure(e);
        }
    }

    static RequestFailure connectFailure(IOException e) {
        String message = String.valueOf(e.getMessage());
        if (e instanceof SocketTimeoutException) {
            return new RequestFailure(Outcome.CONNECT_TIMEOUT, "connect: " + message, false);
        }
        if (e instanceof ConnectException && message.contains("refused")) {
            return new RequestFailure(Outcome.CONNECT_REFUSED, "connect: " + message, false);
        }
        return new RequestFailure(Outcome.CONNECT_ERROR, "connect: " + e, false);
    }

    /**
     * Sends the request and reads its whole response, comparing its body with
     * {@code expectedBody} unless that is null. On failure the connection is closed and must be
     * dropped.
     */
    Response exchange(byte[] request, byte[] expectedBody, long deadlineNanos) throws RequestFailure {
        try {
            out.write(request);
            out.flush();
        } catch (IOException e) {
            close();
            throw ioFailure("send", e);
        }
        try {
            in.deadline(deadlineNanos);
            Response response = reader.read(expectedBody);
            completedExchanges++;
            reusable = response.reusable();
            lastUsedNanos = System.nanoTime();
            return response;
        } catch (ResponseEofException e) {
            close();
            // Only a connection that already served a request can have been closed as idle;
            // on a fresh one, a close before answering is a plain failure.
            boolean idleClose = e.beforeAnyByte() && completedExchanges > 0;
            throw new RequestFailure(e.beforeAnyByte() ? Outcome.PREMATURE_EOF : Outcome.CUT_RESPONSE,
                    "receive: " + e.getMessage(), idleClose);
        } catch (MalformedResponseException e) {
            close();
            throw new RequestFailure(Outcome.PROTOCOL_ERROR, "receive: " + e.getMessage(), false);
        } catch (IOException e) {
            close();
            throw ioFailure("receive", e);
        }
    }

    static RequestFailure ioFailure(String phase, IOException e) {
        String message = String.valueOf(e.getMessage());
        if (e instanceof SocketTimeoutException) {
            return new RequestFailure(Outcome.TIMEOUT, phase + ": " + message, false);
        }
        if (message.contains("Broken pipe")) {
            return new RequestFailure(Outcome.BROKEN_PIPE, phase + ": " + message, false);
        }
        if (message.contains("reset")) {
            return new RequestFailure(Outcome.RESET, phase + ": " + message, false);
        }
        return new RequestFailure(Outcome.OTHER_IO, phase + ": " + e, false);
    }

    long idleNanos() {
        return System.nanoTime() - lastUsedNanos;
    }

    /**
     * Whether the server has ended this idle connection: an end of stream (or a reset) is waiting
     * to be read. What pooling HTTP clients check before reusing a connection that sat idle
     * (Apache HttpClient's validateAfterInactivity, urllib3, browsers' socket pools; Go's
     * transport and nginx's upstream pool notice at once). Costs up to 1 ms when the connection
     * is alive. Null when it is alive; otherwise what was found.
     */
    String closedByServer() {
        try {
            in.deadline(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1));
            int next = in.read();
            close();
            return next < 0 ? "end of stream" : "unexpected byte before a request";
        } catch (SocketTimeoutException alive) {
            return null;
        } catch (IOException e) {
            close();
            return String.valueOf(e.getMessage());
        }
    }

    int completedExchanges() {
        return completedExchanges;
    }

    /** False after a response that ends the connection ("Connection: close", or no length). */
    boolean reusable() {
        return reusable && !socket.isClosed();
    }

    /**
     * Waits (bounded) for the server to close first, then closes. The side that closes first
     * keeps the TIME_WAIT entry; letting the server take it keeps close-mode runs from using up
     * the client's ephemeral ports.
     */
    void closeAfterServer(long maxWaitNanos) {
        try {
            in.deadline(System.nanoTime() + maxWaitNanos);
            byte[] sink = new byte[512];
            while (in.read(sink, 0, sink.length) >= 0) {
                // whatever follows a final response is not ours to interpret
            }
        } catch (IOException e) {
            // timed out or reset: either way we are done with this connection
        }
        close();
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing useful to do: the connection is being dropped anyway
        }
    }
}
