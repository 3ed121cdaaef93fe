package io.github.hotdeploy.agent.drain.http;

/**
 * The writes of one connection while the drain runs: each write is offered here before it goes
 * out, and gets the edits {@link ResponseStream} asks for. Because the close line makes the
 * bytes sent longer than the app's, the kernel may take part of it: what it has not taken goes
 * first in the next write. The app is told how many of its own bytes left, never ours.
 *
 * <p>Pure: the caller does the writing. One thread at a time (the channel's write lock).
 */
public final class WriteEditor {

    private static final byte[] NONE = new byte[0];

    /** One write as it is to go out. */
    public static final class Edit {
        final ResponseStream.Plan plan;
        final Bytes src;
        final byte[] out;        // null: the app's bytes go out as they are
        final int pendingLength; // bytes of an earlier close line at the start of out

        Edit(ResponseStream.Plan plan, Bytes src, byte[] out, int pendingLength) {
            this.plan = plan;
            this.src = src;
            this.out = out;
            this.pendingLength = pendingLength;
        }

        /** The bytes to write instead of the app's, or null to write the app's unchanged. */
        public byte[] replacement() {
            return out;
        }
    }

    private final ResponseStream stream = new ResponseStream();
    private byte[] pending = NONE;
    private boolean finDue;
    private volatile boolean disabled;

    /** The edit the app's next write, {@code src}, needs (its buffers are not touched). */
    public Edit prepare(Bytes src, ResponseStream.MarkPolicy policy) {
        ResponseStream.Plan plan = stream.plan(src, policy);
        if (!plan.edits() && pending.length == 0) {
            return new Edit(plan, src, null, 0);
        }
        int insertion = plan.insertionIndex();
        byte[] inserted = plan.inserted();
        int lineLength = insertion < 0 ? 0 : inserted.length;
        int limit = plan.limit();
        byte[] out = new byte[pending.length + limit + lineLength];
        System.arraycopy(pending, 0, out, 0, pending.length);
        int at = pending.length;
        if (insertion < 0) {
            src.copy(0, out, at, limit);
        } else {
            src.copy(0, out, at, insertion);
            System.arraycopy(inserted, 0, out, at + insertion, lineLength);
            src.copy(insertion, out, at + insertion + lineLength, limit - insertion);
        }
        for (int r = 0; r < plan.replacements(); r++) {
            int index = plan.replacementIndex(r);
            int from = Math.max(0, -index); // a range begun in an earlier write: its rest
            int to = Math.min(ResponseStream.CLOSE_PADDED.length, limit - index);
            int shift = insertion >= 0 && index >= insertion ? lineLength : 0;
            if (to > from) {
                System.arraycopy(ResponseStream.CLOSE_PADDED, from, out, at + index + from + shift, to - from);
            }
        }
        return new Edit(plan, src, out, pending.length);
    }

    /**
     * After {@code written} bytes of the edit's output (or of the app's bytes, without one) left:
     * how many of the app's bytes that was. The rest of a close line cut short is kept for the
     * next write. A negative {@code written} (would block, interrupted) changes nothing.
     */
    public int written(Edit edit, long written) {
        if (written <= 0) {
            stream.commit(edit.plan, edit.src, 0, false);
            return (int) Math.max(written, 0);
        }
        int consumed;
        boolean insertionStarted = false;
        if (edit.out == null) {
            consumed = (int) written;
        } else {
            long k = written;
            if (k <= edit.pendingLength) {
                pending = java.util.Arrays.copyOfRange(pending, (int) k, pending.length);
                stream.commit(edit.plan, edit.src, 0, false);
                return 0;
            }
            k -= edit.pendingLength;
            pending = NONE;
            int insertion = edit.plan.insertionIndex();
            int lineLength = insertion < 0 ? 0 : edit.plan.inserted().length;
            if (insertion < 0 || k <= insertion) {
                consumed = (int) k;
            } else if (k >= insertion + lineLength) {
                consumed = (int) (k - lineLength);
                insertionStarted = true;
            } else {
                consumed = insertion;
                insertionStarted = true;
                pending = java.util.Arrays.copyOfRange(edit.plan.inserted(), (int) (k - insertion), lineLength);
            }
        }
        if (stream.commit(edit.plan, edit.src, consumed, insertionStarted)) {
            finDue = true;
        }
        return consumed;
    }

    /** True once (then false): a response that says close has left in full, with every byte of ours. */
    public boolean takeFinDue() {
        if (finDue && pending.length == 0) {
            finDue = false;
            return true;
        }
        return false;
    }

    /** Part of a close line is still to go out. */
    public boolean hasPending() {
        return pending.length > 0;
    }

    /** After a failure of ours: every later write goes out as the app makes it. */
    public void disable() {
        disabled = true;
    }

    public boolean disabled() {
        return disabled;
    }

    public ResponseStream stream() {
        return stream;
    }
}
