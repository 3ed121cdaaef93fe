package io.github.hotdeploy.testapps.common;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntConsumer;
import java.util.zip.CRC32;

/**
 * The bodies a client can check byte for byte, the same in every test app and in the load
 * generator (bench depends on this class, so both sides read one definition):
 *
 * <ul>
 *   <li>{@code GET /bytes?size=N&seed=S} answers {@link #pattern}(S, N) with a Content-Length;
 *       with {@code &chunked=1} the same bytes in several chunks ({@link #pieceSize}), flushed one
 *       by one, so a response is written in more than one write, as a streamed one is;</li>
 *   <li>{@code POST /echo} reads the whole request body and answers {@link #echo}: its length and
 *       CRC-32, so the client can tell that every byte it sent arrived.</li>
 * </ul>
 *
 * <p>The pattern is printable ASCII (a stub file or a JSON string can hold it), and every byte
 * depends on its position and the seed: a body cut, shifted, repeated or taken from another
 * response does not compare equal. A shorter body of one seed is a prefix of a longer one.
 */
public final class Bodies {

    /** Upper bound for size and for a POST body, so a mistyped request cannot exhaust memory. */
    public static final int MAX_SIZE = 16 * 1024 * 1024;

    private static final byte[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".getBytes(StandardCharsets.US_ASCII);

    private Bodies() {
    }

    /** The first {@code size} bytes of the seed's pattern. */
    public static byte[] pattern(long seed, int size) {
        byte[] out = new byte[size];
        for (int i = 0; i < size; i++) {
            out[i] = at(seed, i);
        }
        return out;
    }

    /** Byte {@code i} of the seed's pattern: a SplitMix64 step of (seed, i), six bits of it. */
    static byte at(long seed, long i) {
        long z = seed * 0x9E3779B97F4A7C15L + i * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return ALPHABET[(int) (z & 63)];
    }

    /** The answer to a POST of {@code body}: {@code received=LENGTH crc32=HEX} and a newline. */
    public static String echo(byte[] body, int length) {
        CRC32 crc = new CRC32();
        crc.update(body, 0, length);
        return echo(length, crc.getValue());
    }

    public static String echo(long length, long crc32) {
        return "received=" + length + " crc32=" + String.format("%08x", crc32) + "\n";
    }

    /**
     * How many bytes go into each chunk of a chunked answer: at least two chunks for any body of
     * two bytes or more (the cut seen with Jetty 11 came after the first chunk), at most 8 KiB.
     */
    public static int pieceSize(int size) {
        return Math.max(1, Math.min(8192, (size + 1) / 2));
    }

    /**
     * Writes the body in {@link #pieceSize} pieces, flushing after each: on a response without a
     * Content-Length every server then sends chunks, one write each.
     */
    public static void writeInPieces(byte[] body, OutputStream out) throws IOException {
        int piece = pieceSize(body.length);
        for (int off = 0; off < body.length; off += piece) {
            out.write(body, off, Math.min(piece, body.length - off));
            out.flush();
        }
    }

    /**
     * Writes the answer to {@code /bytes} on a stream API (servlets, Jetty 11): the length first
     * (through {@code contentLength}, before any byte) and the body in one write, or, for
     * {@code chunked=1}, no length and the body in pieces.
     */
    public static void answer(Query query, IntConsumer contentLength, OutputStream out) throws IOException {
        byte[] body = query.body();
        if (query.chunked()) {
            writeInPieces(body, out);
        } else {
            contentLength.accept(body.length);
            out.write(body);
        }
    }

    /** The parameters of a {@code /bytes} query string ("size=10&seed=3&chunked=1"; null is none). */
    public record Query(int size, long seed, boolean chunked) {

        public static Query parse(String rawQuery) {
            int size = 0;
            long seed = 0;
            boolean chunked = false;
            if (rawQuery != null) {
                for (String pair : rawQuery.split("&")) {
                    int eq = pair.indexOf('=');
                    String name = eq < 0 ? pair : pair.substring(0, eq);
                    String value = eq < 0 ? "" : pair.substring(eq + 1);
                    try {
                        switch (name) {
                            case "size" -> size = (int) Math.max(0, Math.min(MAX_SIZE, Long.parseLong(value)));
                            case "seed" -> seed = Long.parseLong(value);
                            case "chunked" -> chunked = value.equals("1") || value.equals("true");
                            default -> {
                                // other parameters are the client's business
                            }
                        }
                    } catch (NumberFormatException e) {
                        // a malformed number counts as absent, as /sleep does
                    }
                }
            }
            return new Query(size, seed, chunked);
        }

        public byte[] body() {
            return pattern(seed, size);
        }
    }

    public static boolean isBytes(String path) {
        return "/bytes".equals(path);
    }

    public static boolean isEcho(String path) {
        return "/echo".equals(path);
    }
}
