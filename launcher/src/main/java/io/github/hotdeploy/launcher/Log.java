package io.github.hotdeploy.launcher;

import io.github.hotdeploy.launcher.files.LineBuffer;
import io.github.hotdeploy.launcher.files.LogWriter;
import io.github.hotdeploy.launcher.os.Native;
import java.time.Duration;

/**
 * start_server's own log lines, on stderr like the original's (and so in --log-file once
 * redirected). The texts of the lines the original prints are kept word for word: log watchers
 * match them.
 *
 * <p>Until supervision starts, a line is written at once (errors must reach the terminal before
 * exit). From then on, {@link #decouple}: a line the log does not take at once waits in a bounded
 * buffer for a writer thread, so that a log reader that stops reading never stops the supervisor;
 * what does not fit is dropped and counted in the log.
 */
public final class Log {
    private static volatile LineBuffer buffer;
    private static volatile LogWriter writer;
    /** Lines written when a flush last gave up; a later flush with no progress since does not wait again. */
    private static volatile long stuckAt = -1;

    private Log() {
    }

    public static void line(String message) {
        LogWriter decoupled = writer;
        if (decoupled != null) {
            decoupled.line(message);
            return;
        }
        synchronized (Log.class) {
            System.err.println(message);
            System.err.flush();
        }
    }

    /** A fatal one-line error, prefixed with the program's name. */
    public static void error(String message) {
        line("start_server: " + message);
    }

    /** From now on no line waits for the log's reader. */
    public static synchronized void decouple(Native nat) {
        if (writer == null) {
            System.err.flush();
            LineBuffer lines = new LineBuffer(LineBuffer.DEFAULT_CAPACITY);
            LogWriter w = new LogWriter(nat, lines);
            w.start();
            buffer = lines;
            writer = w;
        }
    }

    /** The log was reopened or its command restarted: lines that failed go out now. */
    public static void outputChanged() {
        LogWriter w = writer;
        if (w != null) {
            w.outputChanged();
        }
    }

    /** Lets go of the log's descriptors before it is closed (at exit). */
    public static void release() {
        LogWriter w = writer;
        if (w != null) {
            w.release();
        }
    }

    /** Gives queued lines up to {@code atMost} to go out (at exit); true if they all did. */
    public static boolean flush(Duration atMost) {
        LineBuffer queued = buffer;
        if (queued == null) {
            System.err.flush();
            return true;
        }
        try {
            if (stuckAt == queued.writtenTotal()) {
                return false;
            }
            boolean out = queued.awaitEmpty(atMost.toNanos());
            stuckAt = out ? -1 : queued.writtenTotal();
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
