package io.github.hotdeploy.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads HTTP/1.x responses off one connection, skipping their bodies or comparing them byte for
 * byte with the expected one as they arrive (nothing is buffered). Only what is needed to find
 * where a response ends (RFC 9112 section 6.3) is implemented: Content-Length, chunked, or up to
 * the connection's end; 1xx interim responses are skipped.
 *
 * <p>Not thread-safe: a connection belongs to one worker.
 */
final class ResponseReader {

    private static final int MAX_LINE = 16 * 1024;
    private static final int MAX_HEADERS = 200;

    private final InputStream in;
    private final byte[] buffer = new byte[16 * 1024];
    private int position;
    private int limit;
    /** Whether any byte arrived since the current read() began; see ResponseEofException. */
    private boolean anyByte;
    /** The body being compared, or null. */
    private BodyCheck check;

    ResponseReader(InputStream in) {
        this.in = in;
    }

    /** Reads one complete response, skipping its body. */
    Response read() throws IOException {
        return read(null);
    }

    /**
     * Reads one complete response. With {@code expected} (not null) a 2xx body is compared with
     * it byte for byte; the response says where they first differ.
     */
    Response read(byte[] expected) throws IOException {
        anyByte = position < limit;
        while (true) {
            Head head = readHead();
            if (head.status >= 100 && head.status < 200) {
                if (head.status == 101) {
                    throw new MalformedResponseException("unexpected 101 Switching Protocols");
                }
                continue;
            }
            check = expected != null && head.status >= 200 && head.status < 300 ? new BodyCheck(expected) : null;
            boolean reusable = readBody(head);
            String mismatch = check == null ? null : check.verdict();
            check = null;
            return new Response(head.status, reusable, mismatch);
        }
    }

    private Head readHead() throws IOException {
        String statusLine = readLine();
        Head head = parseStatusLine(statusLine);
        for (int count = 0; ; count++) {
            String line = readLine();
            if (line.isEmpty()) {
                return head;
            }
            if (count >= MAX_HEADERS) {
                throw new MalformedResponseException("more than " + MAX_HEADERS + " header fields");
            }
            head.addField(line);
        }
    }

    static Head parseStatusLine(String line) throws MalformedResponseException {
        // "HTTP/1.1 200 OK"; the reason phrase may be empty or missing.
        if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' '
                || (line.length() > 12 && line.charAt(12) != ' ')) {
            throw new MalformedResponseException("not an HTTP/1.x status line: " + abbreviate(line));
        }
        char minor = line.charAt(7);
        if (minor != '0' && minor != '1') {
            throw new MalformedResponseException("unsupported HTTP version: " + abbreviate(line));
        }
        int status;
        try {
            status = Integer.parseInt(line.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new MalformedResponseException("bad status code: " + abbreviate(line));
        }
        if (status < 100) {
            throw new MalformedResponseException("bad status code: " + abbreviate(line));
        }
        return new Head(status, minor == '1');
    }

    /** Returns whether the connection may carry another request. */
    private boolean readBody(Head head) throws IOException {
        boolean bodyless = head.status == 204 || head.status == 304;
        if (bodyless) {
            return head.persistent();
        }
        if (head.chunked) {
            skipChunks();
            return head.persistent();
        }
        if (head.contentLength >= 0) {
            skip(head.contentLength);
            return head.persistent();
        }
        // No length: the body runs to the connection's end, so the connection cannot be reused.
        while (position < limit || fill() > 0) {
            consume(limit - position);
        }
        return false;
    }

    private void skipChunks() throws IOException {
        while (true) {
            String sizeLine = readLine("a chunk size line");
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim();
            long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new MalformedResponseException("bad chunk size: " + abbreviate(sizeLine));
            }
            if (size < 0) {
                throw new MalformedResponseException("bad chunk size: " + abbreviate(sizeLine));
            }
            if (size == 0) {
                while (!readLine("the trailer").isEmpty()) {
                    // trailer fields: ignored
                }
                return;
            }
            skip(size);
            if (!readLine("the end of a chunk").isEmpty()) {
                throw new MalformedResponseException("chunk not followed by CRLF");
            }
        }
    }

    private void skip(long count) throws IOException {
        long left = count;
        while (left > 0) {
            if (position == limit && fill() < 0) {
                throw new ResponseEofException("connection closed with " + left + " of " + count
                        + " body bytes missing", false);
            }
            int n = (int) Math.min(left, limit - position);
            consume(n);
            left -= n;
        }
    }

    /** Moves past n buffered body bytes, comparing them first if a body is being checked. */
    private void consume(int n) {
        if (check != null) {
            check.accept(buffer, position, n);
        }
        position += n;
    }

    /** A line of the head without its CRLF (a bare LF is accepted too). */
    private String readLine() throws IOException {
        return readLine("the response head");
    }

    /** A line without its CRLF; {@code where} names the part of the response it belongs to. */
    private String readLine(String where) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            if (position == limit && fill() < 0) {
                throw new ResponseEofException(anyByte
                        ? "connection closed in the middle of " + where
                        : "connection closed before any byte of a response", !anyByte);
            }
            byte b = buffer[position++];
            if (b == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return line.toString();
            }
            if (line.length() >= MAX_LINE) {
                throw new MalformedResponseException("line longer than " + MAX_LINE + " bytes");
            }
            line.append((char) (b & 0xff));
        }
    }

    private int fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n > 0) {
            position = 0;
            limit = n;
            anyByte = true;
        }
        return n;
    }

    private static String abbreviate(String s) {
        String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() <= 80 ? printable : printable.substring(0, 80) + "...";
    }

    /** Compares a body with the expected bytes as it goes by; remembers the first difference. */
    static final class BodyCheck {
        private final byte[] expected;
        private long seen;
        private String mismatch;

        BodyCheck(byte[] expected) {
            this.expected = expected;
        }

        void accept(byte[] bytes, int offset, int length) {
            if (mismatch == null) {
                int comparable = (int) Math.max(0, Math.min(length, expected.length - seen));
                int at = Arrays.mismatch(bytes, offset, offset + comparable, expected, (int) seen, (int) seen + comparable);
                if (at >= 0) {
                    mismatch = "body differs at byte " + (seen + at) + " of " + expected.length
                            + " (got '" + printable(bytes, offset + at, Math.min(16, comparable - at)) + "')";
                } else if (comparable < length) {
                    mismatch = "body longer than the " + expected.length + " bytes expected";
                }
            }
            seen += length;
        }

        /** Null when the body was exactly the expected one. */
        String verdict() {
            if (mismatch == null && seen < expected.length) {
                return "body of " + seen + " bytes instead of " + expected.length;
            }
            return mismatch;
        }

        private static String printable(byte[] bytes, int offset, int length) {
            StringBuilder out = new StringBuilder();
            for (int i = offset; i < offset + length; i++) {
                int b = bytes[i] & 0xff;
                out.append(b >= 0x20 && b < 0x7f && b != '\'' ? (char) b : '?');
            }
            return out.toString();
        }
    }

    /** The status line and the header fields that decide where the body ends. */
    static final class Head {
        final int status;
        final boolean http11;
        long contentLength = -1;
        boolean chunked;
        boolean close;
        boolean keepAlive;

        Head(int status, boolean http11) {
            this.status = status;
            this.http11 = http11;
        }

        void addField(String line) throws MalformedResponseException {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new MalformedResponseException("bad header field: " + abbreviate(line));
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> setContentLength(value);
                case "transfer-encoding" -> {
                    String[] codings = value.toLowerCase(Locale.ROOT).split(",");
                    chunked = codings[codings.length - 1].trim().equals("chunked");
                }
                case "connection" -> {
                    for (String token : value.toLowerCase(Locale.ROOT).split(",")) {
                        close |= token.trim().equals("close");
                        keepAlive |= token.trim().equals("keep-alive");
                    }
                }
                default -> {
                }
            }
        }

        private void setContentLength(String value) throws MalformedResponseException {
            long length;
            try {
                length = Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new MalformedResponseException("bad Content-Length: " + abbreviate(value));
            }
            if (length < 0 || (contentLength >= 0 && contentLength != length)) {
                throw new MalformedResponseException("bad Content-Length: " + abbreviate(value));
            }
            contentLength = length;
        }

        /** HTTP/1.1 persists unless told otherwise; HTTP/1.0 only when told to. */
        boolean persistent() {
            return http11 ? !close : keepAlive && !close;
        }
    }
}
