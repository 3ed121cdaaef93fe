package io.github.hotdeploy.agent.drain.http;

import java.nio.ByteBuffer;

/**
 * The bytes of one write, read without moving anything: a buffer's remaining bytes, the remaining
 * bytes of a gathering write's buffers, or an array range. Absolute reads only, so the caller's
 * buffers are never disturbed.
 */
public abstract class Bytes {

    public abstract int length();

    public abstract byte at(int index);

    /** Copies {@code length} bytes from {@code from} into {@code out} at {@code at}. */
    public void copy(int from, byte[] out, int at, int length) {
        for (int i = 0; i < length; i++) {
            out[at + i] = at(from + i);
        }
    }

    public static Bytes of(final byte[] array, final int offset, final int length) {
        return new Bytes() {
            @Override
            public int length() {
                return length;
            }

            @Override
            public byte at(int index) {
                return array[offset + index];
            }

            @Override
            public void copy(int from, byte[] out, int at, int n) {
                System.arraycopy(array, offset + from, out, at, n);
            }
        };
    }

    /** The remaining bytes of {@code buffer} as they are now (readable after a write has moved it). */
    public static Bytes of(final ByteBuffer buffer) {
        final int position = buffer.position();
        final int length = buffer.remaining();
        return new Bytes() {
            @Override
            public int length() {
                return length;
            }

            @Override
            public byte at(int index) {
                return buffer.get(position + index);
            }
        };
    }

    /**
     * The remaining bytes of {@code buffers[offset .. offset+count)}, in order, as they are now:
     * the positions are read once, so the bytes stay readable after a write has moved them.
     */
    public static Bytes of(final ByteBuffer[] buffers, final int offset, final int count) {
        final int[] starts = new int[count + 1];
        final int[] positions = new int[count];
        for (int i = 0; i < count; i++) {
            positions[i] = buffers[offset + i].position();
            starts[i + 1] = starts[i] + buffers[offset + i].remaining();
        }
        return new Bytes() {
            private int last; // the buffer of the last read: reads go forward, as a rule

            @Override
            public int length() {
                return starts[count];
            }

            @Override
            public byte at(int index) {
                int b = last;
                if (index < starts[b] || index >= starts[b + 1]) {
                    b = 0;
                    while (index >= starts[b + 1]) {
                        b++;
                    }
                    last = b;
                }
                return buffers[offset + b].get(positions[b] + index - starts[b]);
            }
        };
    }
}
