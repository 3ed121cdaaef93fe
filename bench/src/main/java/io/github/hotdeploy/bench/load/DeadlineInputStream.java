package io.github.hotdeploy.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * A socket's input whose every read gives up at one deadline, so --timeout-ms bounds a whole
 * response rather than each gap between packets.
 */
final class DeadlineInputStream extends InputStream {

    private final Socket socket;
    private final InputStream in;
    /** System.nanoTime() value; reads fail with SocketTimeoutException once it has passed. */
    private long deadlineNanos = Long.MAX_VALUE;

    DeadlineInputStream(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    void deadline(long nanos) {
        deadlineNanos = nanos;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        // SO_TIMEOUT 0 would mean "forever": round up to at least 1 ms.
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left + 999_999))));
        return in.read(b, off, len);
    }
}
