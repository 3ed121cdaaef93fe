package io.github.hotdeploy.launcher.files;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * start_server's own log lines (as bytes, newline included) between the supervisor, which must
 * never wait for the log, and the one thread that writes them, which may wait as long as the log's
 * reader makes it. Bounded: a line that does not fit is dropped and counted, and the count takes
 * the place of the lines it stands for, as a line of its own, as soon as there is room for it.
 */
public final class LineBuffer {
    /** Bytes of text held at most (start_server's lines are about 60 bytes: some 4,000 lines). */
    public static final int DEFAULT_CAPACITY = 256 * 1024;

    private final int capacity;
    private final ArrayDeque<byte[]> lines = new ArrayDeque<>();
    private int bytes;
    /** Lines dropped since the last notice was queued. */
    private long dropped;
    private long droppedTotal;
    private long writtenTotal;

    public LineBuffer(int capacity) {
        this.capacity = capacity;
    }

    /** The line that reports {@code count} dropped lines. */
    static String notice(long count) {
        return "start_server: " + count + " log line" + (count == 1 ? "" : "s")
                + " dropped: the log was not taking them";
    }

    private static byte[] noticeLine(long count) {
        return (notice(count) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** True when nothing is queued (nor being written). */
    public synchronized boolean isEmpty() {
        return lines.isEmpty();
    }

    /** Queues a line; false if it was dropped. Never waits. */
    public synchronized boolean offer(byte[] line) {
        if (dropped > 0 && !fits(noticeLine(dropped))) {
            drop();
            return false;
        }
        if (dropped > 0) {
            add(noticeLine(dropped));
            dropped = 0;
        }
        if (!fits(line)) {
            drop();
            return false;
        }
        add(line);
        return true;
    }

    /** The line to write next, waiting for one; it stays queued until {@link #written()}. */
    public synchronized byte[] next() throws InterruptedException {
        while (lines.isEmpty()) {
            wait();
        }
        return lines.peekFirst();
    }

    /** The line {@link #next()} returned is out. */
    public synchronized void written() {
        byte[] line = lines.pollFirst();
        if (line != null) {
            bytes -= size(line);
            writtenTotal++;
        }
        notifyAll();
    }

    /**
     * Waits until everything queued is written, or {@code nanos} have passed; a count of lines
     * dropped since the last notice is queued first. True if all is out.
     */
    public synchronized boolean awaitEmpty(long nanos) throws InterruptedException {
        if (dropped > 0 && fits(noticeLine(dropped))) {
            add(noticeLine(dropped));
            dropped = 0;
        }
        long deadline = System.nanoTime() + nanos;
        while (!lines.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** Every line written since start. */
    public synchronized long writtenTotal() {
        return writtenTotal;
    }

    /** Every line dropped since start. */
    public synchronized long droppedTotal() {
        return droppedTotal;
    }

    private boolean fits(byte[] line) {
        return bytes + size(line) <= capacity;
    }

    private void add(byte[] line) {
        lines.addLast(line);
        bytes += size(line);
        notifyAll();
    }

    private void drop() {
        dropped++;
        droppedTotal++;
    }

    private static int size(byte[] line) {
        return line.length;
    }
}
