package io.github.hotdeploy.launcher.files;

import io.github.hotdeploy.launcher.os.Native;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes start_server's own lines to its stderr (the log, once redirected) without ever making
 * the caller wait for the log's reader.
 *
 * <p>A line is written at once when nothing is queued and the log takes it without waiting
 * (a non-blocking write through a descriptor of its own, so that the children's descriptor stays
 * blocking), which keeps it in order with what the children write, as the original's log is.
 * Otherwise it joins a {@link LineBuffer} that one thread empties with blocking writes; a write
 * that fails (the log command has exited, the disk is full) is tried again after a while, or as
 * soon as the log is reopened.
 */
public final class LogWriter implements Runnable {
    private static final long RETRY_MILLIS = 1000;
    private static final int O_WRONLY = 1;
    private static final int O_NONBLOCK = 0x800;
    private static final int O_CLOEXEC = 0x80000;
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFSOCK = 0140000;

    private final Native nat;
    private final LineBuffer buffer;
    private final OutputStream out;
    private final Charset charset;
    private final Object retry = new Object();
    private boolean retryNow;
    /** Where a line can be written at once: fd 2 for a regular file, else a non-blocking descriptor; -1: none. */
    private int direct = -1;
    private boolean directIsSocket;
    private boolean directOwned;

    public LogWriter(Native nat, LineBuffer buffer) {
        this.nat = nat;
        this.buffer = buffer;
        // Straight to fd 2: System.err's lock would make everyone who prints wait for a stuck write.
        this.out = new FileOutputStream(FileDescriptor.err);
        String encoding = System.getProperty("sun.stderr.encoding");
        this.charset = encoding != null && Charset.isSupported(encoding) ? Charset.forName(encoding) : Charset.defaultCharset();
        openDirect();
    }

    public void start() {
        Thread thread = new Thread(this, "log-writer");
        thread.setDaemon(true); // a write stuck at exit must not keep start_server alive
        thread.start();
    }

    /** Writes or queues one line; never waits for the log. */
    public synchronized void line(String text) {
        byte[] bytes = (text + "\n").getBytes(charset);
        if (direct >= 0 && buffer.isEmpty()) {
            int n = directIsSocket ? nat.sendNow(direct, bytes) : nat.write(direct, bytes, bytes.length);
            if (n == bytes.length) {
                return;
            }
            if (n > 0) {
                bytes = Arrays.copyOfRange(bytes, n, bytes.length); // the rest, first in the queue
            }
        }
        buffer.offer(bytes);
    }

    /** The log was reopened or its command restarted: a new descriptor to write to, and failed lines now. */
    public synchronized void outputChanged() {
        openDirect();
        synchronized (retry) {
            retryNow = true;
            retry.notifyAll();
        }
    }

    /** Lets go of the log (at exit): a descriptor of ours would keep a log command from seeing end-of-file. */
    public synchronized void release() {
        if (directOwned) {
            nat.close(direct);
        }
        direct = -1;
        directOwned = false;
    }

    /**
     * A regular file never makes a writer wait for a reader: fd 2 itself (a descriptor of its
     * own would not share the children's offset). A pipe or terminal: the same one opened again
     * through /proc, non-blocking. A socket cannot be opened again: a duplicate, sent to with
     * MSG_DONTWAIT.
     */
    private void openDirect() {
        if (directOwned) {
            nat.close(direct);
        }
        direct = -1;
        directOwned = false;
        directIsSocket = false;
        int type;
        try {
            type = (Integer) Files.getAttribute(Path.of("/proc/self/fd/2"), "unix:mode") & S_IFMT;
        } catch (IOException | RuntimeException e) {
            return; // everything goes through the writer thread
        }
        if (type == S_IFREG) {
            direct = 2;
        } else if (type == S_IFSOCK) {
            direct = nat.duplicate(2);
            directIsSocket = true;
            directOwned = direct >= 0;
        } else {
            direct = nat.open("/proc/self/fd/2", O_WRONLY | O_NONBLOCK | O_CLOEXEC, 0);
            directOwned = direct >= 0;
        }
    }

    @Override
    public void run() {
        try {
            while (true) {
                byte[] line = buffer.next();
                try {
                    out.write(line);
                    buffer.written();
                } catch (IOException failed) {
                    synchronized (retry) {
                        if (!retryNow) {
                            retry.wait(RETRY_MILLIS);
                        }
                        retryNow = false;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
