package io.github.hotdeploy.agent.drain.http;

/**
 * One connection's outgoing bytes, followed from the moment the drain began, and the edits that
 * end the connection by HTTP/1.x itself: the next final response gets {@code Connection: close}
 * right after its status line (and a {@code keep-alive} token of its own Connection header becomes
 * {@code close} padded with spaces, the same length), so the client closes after reading it, as
 * HTTP requires; once that response has left in full, the caller may half-close (FIN).
 *
 * <p>Pure and single-threaded: the writes of one connection are serialised by its channel (or
 * engine), and this class does no I/O. A write is handled in two steps, because the kernel may
 * take fewer bytes than offered: {@link #plan} reads the write's bytes from a copy of the state and
 * says which edits they need; the caller writes the edited bytes and then calls {@link #commit}
 * with how many of the write's own bytes left, which advances the real state over exactly those.
 * Bytes not taken are offered again by the app's next write, and planned again identically.
 *
 * <p>Where a response begins is only known once one has been seen: when the drain begins, a
 * response may be half-written. So the stream starts "looking": a write whose first bytes are a
 * whole HTTP/1.x response header block (status line, well-formed header lines, empty line) is
 * taken as the start of a response; any other write is body bytes of a response already under way,
 * or another protocol (TLS records, HTTP/2 frames), and passes untouched. From a recognised
 * response on, the framing (Content-Length, chunked, none) is followed byte by byte, so the next
 * boundary is exact. What is never done: an edit inside a body, or a FIN before the last byte of
 * a response that says close (a response whose end cannot be known, e.g. a HEAD response or one
 * delimited by the close, is never followed by our FIN: the client or the app closes it).
 */
public final class ResponseStream {

    /** The line put after the status line of the response that ends the connection. */
    static final byte[] CLOSE_LINE = {
        'C', 'o', 'n', 'n', 'e', 'c', 't', 'i', 'o', 'n', ':', ' ', 'c', 'l', 'o', 's', 'e', '\r', '\n'};
    /**
     * The frame put at a frame boundary of an HTTP/2 connection: GOAWAY, last stream 2^31-1,
     * NO_ERROR, as RFC 9113 §6.8 says a server starting a graceful shutdown sends: the client opens
     * no new stream on the connection, and every stream it has opened is still served.
     */
    static final byte[] GOAWAY = {0, 0, 8, 7, 0, 0, 0, 0, 0, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0};
    private static final byte[] KEEP_ALIVE = {'k', 'e', 'e', 'p', '-', 'a', 'l', 'i', 'v', 'e'};
    /** What a {@code keep-alive} token becomes: same length, trailing spaces are optional whitespace. */
    static final byte[] CLOSE_PADDED = {'c', 'l', 'o', 's', 'e', ' ', ' ', ' ', ' ', ' '};

    /** What the drain allows, asked while a write is planned. */
    public interface MarkPolicy {
        /** Asked once per final HTTP/1.x response: false leaves it alone (the client has pipelined another). */
        boolean mayClose();

        /** Asked at each HTTP/2 frame boundary until the GOAWAY has gone: whether it is due now. */
        boolean goawayDue();
    }

    public static final MarkPolicy ALWAYS = new MarkPolicy() {
        @Override
        public boolean mayClose() {
            return true;
        }

        @Override
        public boolean goawayDue() {
            return true;
        }
    };

    // ---- phases
    static final int LOOKING = 0;      // between responses, or where one begins is unknown
    static final int STATUS = 1;       // in the status line
    static final int HEADER_NAME = 2;
    static final int HEADER_VALUE = 3;
    static final int BODY = 4;         // Content-Length bytes left in `remaining`
    static final int CHUNK_SIZE = 5;   // a chunk-size line (with extensions)
    static final int CHUNK_DATA = 6;
    static final int CHUNK_END = 7;    // the CRLF after chunk data
    static final int TRAILER = 8;      // trailer lines after the last chunk
    static final int UNTIL_CLOSE = 9;  // no framing: the body ends when the connection does
    static final int UPGRADED = 10;    // after 101: another protocol, untouched
    static final int CLOSED = 11;      // a response that says close has left: nothing more to do
    static final int OPAQUE = 12;      // framing we cannot follow (a bad Content-Length)
    static final int H2 = 13;          // HTTP/2 frames, boundaries followed

    // header names of interest
    private static final int OTHER = 0;
    private static final int CONTENT_LENGTH = 1;
    private static final int TRANSFER_ENCODING = 2;
    private static final int CONNECTION = 3;
    private static final int UPGRADE = 4;
    private static final byte[][] NAMES = {
        null, bytes("content-length"), bytes("transfer-encoding"), bytes("connection"), bytes("upgrade")};

    /** The parser's state; copied for a plan, advanced for a commit. */
    static final class State {
        long offset;          // bytes of the stream followed so far (the next byte's offset)
        int phase = LOOKING;
        boolean atBoundary;   // LOOKING right after a response we followed: the next byte starts one
        boolean sawResponse;  // some response was recognised on this stream
        boolean sawTls;       // a write began with a TLS record header: the plaintext is elsewhere
        int status;
        int statusField;      // 0 version, 1 code digits, 2 reason
        boolean sawCr;        // the line so far ends in CR (the LF completes it)
        boolean lineEmpty;    // no byte of this header line yet
        int header;           // OTHER, CONTENT_LENGTH, ...
        final byte[] name = new byte[20];
        int nameLength;       // -1: longer than any name of interest
        long contentLength;   // -1: none
        boolean badLength;
        boolean chunked;      // the last transfer-coding seen is chunked
        boolean saysClose;    // this response carries close (our line, or its own)
        byte[] insertOwed;    // bytes due at the current offset (the close line, a GOAWAY), or null
        boolean upgradeH2c;   // this response's Upgrade header names h2c
        // HTTP/2: the frame header read so far, the payload left, a header block left open
        final byte[] frame = new byte[9];
        int frameHeaderSeen;
        long framePayloadLeft;
        boolean headerBlockOpen;
        boolean goawaySent;
        final byte[] token = new byte[12];
        int tokenLength;      // -1: longer than any token of interest
        long tokenStart;      // offset of the current value token's first byte, -1 before it
        long carryReplace = -1; // a replaced token whose first bytes (edited) have left, the rest not
        long remaining;
        long chunkSize;
        int chunkDigits;
        boolean chunkExtension;

        State copy() {
            State c = new State();
            c.offset = offset;
            c.phase = phase;
            c.atBoundary = atBoundary;
            c.sawResponse = sawResponse;
            c.sawTls = sawTls;
            c.status = status;
            c.statusField = statusField;
            c.sawCr = sawCr;
            c.lineEmpty = lineEmpty;
            c.header = header;
            System.arraycopy(name, 0, c.name, 0, name.length);
            c.nameLength = nameLength;
            c.contentLength = contentLength;
            c.badLength = badLength;
            c.chunked = chunked;
            c.saysClose = saysClose;
            c.insertOwed = insertOwed;
            c.upgradeH2c = upgradeH2c;
            System.arraycopy(frame, 0, c.frame, 0, frame.length);
            c.frameHeaderSeen = frameHeaderSeen;
            c.framePayloadLeft = framePayloadLeft;
            c.headerBlockOpen = headerBlockOpen;
            c.goawaySent = goawaySent;
            System.arraycopy(token, 0, c.token, 0, token.length);
            c.tokenLength = tokenLength;
            c.tokenStart = tokenStart;
            c.carryReplace = carryReplace;
            c.remaining = remaining;
            c.chunkSize = chunkSize;
            c.chunkDigits = chunkDigits;
            c.chunkExtension = chunkExtension;
            return c;
        }
    }

    /**
     * What one write needs: where the close line goes (offset in the stream, -1: nowhere), which
     * bytes are replaced in place, and which responses the policy left alone.
     */
    public static final class Plan {
        final long start;
        final int length;
        long insertAt = -1;
        byte[] inserted;        long endAt = -1; // where a response that says close ends, if in this write: nothing after it goes
        // replacements: offsets (each CLOSE_PADDED.length long); at most a few per write
        long[] replaceAt = new long[0];
        // offsets of status-line ends at which the policy said no (so commit decides the same)
        long[] declinedAt = new long[0];

        Plan(long start, int length) {
            this.start = start;
            this.length = length;
        }

        /** Offset of the inserted bytes within this write's bytes (0..length), or -1. */
        public int insertionIndex() {
            return insertAt < 0 ? -1 : (int) (insertAt - start);
        }

        /** What goes in at {@link #insertionIndex()}: the close line or a GOAWAY frame. */
        public byte[] inserted() {
            return inserted;
        }

        public int replacements() {
            return replaceAt.length;
        }

        /**
         * Index within this write's bytes of the i-th replaced range (CLOSE_PADDED.length long);
         * negative when the range began in an earlier write, whose part of it has left edited.
         */
        public int replacementIndex(int i) {
            return (int) (replaceAt[i] - start);
        }

        /**
         * How many of this write's bytes may go out: all, unless a response that says close ends
         * inside it; what follows that (a pipelined response) must not reach the client.
         */
        public int limit() {
            return endAt < 0 ? length : (int) (endAt - start);
        }

        /** Whether the write must go out edited or cut (else: as it is). */
        public boolean edits() {
            return insertAt >= 0 || replaceAt.length > 0 || endAt >= 0 && endAt - start < length;
        }

        void replace(long at) {
            long[] more = new long[replaceAt.length + 1];
            System.arraycopy(replaceAt, 0, more, 0, replaceAt.length);
            more[replaceAt.length] = at;
            replaceAt = more;
        }

        void decline(long at) {
            long[] more = new long[declinedAt.length + 1];
            System.arraycopy(declinedAt, 0, more, 0, declinedAt.length);
            more[declinedAt.length] = at;
            declinedAt = more;
        }

        boolean declined(long at) {
            for (long d : declinedAt) {
                if (d == at) {
                    return true;
                }
            }
            return false;
        }
    }

    private State state = new State();
    private boolean closing; // a response that says close has left in full (FIN due, once)

    /** The edits the next write, whose bytes are {@code bytes}, needs. Changes nothing. */
    public Plan plan(Bytes bytes, MarkPolicy policy) {
        Plan plan = new Plan(state.offset, bytes.length());
        if (state.carryReplace >= 0) {
            plan.replace(state.carryReplace);
        }
        run(state.copy(), bytes, bytes.length(), plan, policy, true, false);
        return plan;
    }

    /**
     * Advances over the first {@code consumed} bytes of the planned write, which have left.
     *
     * @param insertionStarted whether some of the close line left, when the plan put it exactly at
     *     the end of the consumed bytes (before them it has left in full; after them, not at all)
     * @return true once, when a response that says close has just left in full: the caller may
     *     now half-close
     */
    public boolean commit(Plan plan, Bytes bytes, int consumed, boolean insertionStarted) {
        boolean wasClosing = closing;
        run(state, bytes, consumed, plan, null, false, insertionStarted);
        // a replaced range the kernel cut: its remaining bytes must be replaced in the next write
        state.carryReplace = -1;
        for (long at : plan.replaceAt) {
            if (at < state.offset && state.offset < at + CLOSE_PADDED.length) {
                state.carryReplace = at;
            }
        }
        return closing && !wasClosing;
    }

    // ------------------------------------------------------------------ what the drain reads

    /**
     * Inside an HTTP/1.x response whose end we follow (header or body), or one that ends with the
     * close. (HTTP/2 streams are not followed: an HTTP/2 connection is busy while it writes.)
     */
    public boolean inResponse() {
        int p = state.phase;
        return p != LOOKING && p != UPGRADED && p != CLOSED && p != OPAQUE && p != H2;
    }

    /** A 101 has switched the connection to another protocol (WebSocket...). */
    public boolean upgraded() {
        return state.phase == UPGRADED;
    }

    /** A response that says close has left in full. */
    public boolean closed() {
        return state.phase == CLOSED;
    }

    /** Some HTTP/1.x response was recognised on this stream. */
    public boolean sawResponse() {
        return state.sawResponse;
    }

    /** Some write began with a TLS record header: HTTP, if any, is inside, seen by the engine. */
    public boolean sawTls() {
        return state.sawTls;
    }

    /** Bytes of ours are due but not written yet. */
    public boolean insertOwed() {
        return state.insertOwed != null;
    }

    /** The connection speaks HTTP/2 (frames recognised, or upgraded to h2c). */
    public boolean http2() {
        return state.phase == H2;
    }

    /** Our GOAWAY has gone out on this HTTP/2 connection. */
    public boolean goawaySent() {
        return state.goawaySent && state.insertOwed == null;
    }

    /** Bytes followed so far. */
    public long offset() {
        return state.offset;
    }

    // ------------------------------------------------------------------ the parser

    /**
     * Runs {@code s} over {@code bytes[0 .. end)}. Planning ({@code planning}): decides, consults
     * the policy and records edits in {@code plan}. Committing: repeats the plan's decisions.
     */
    private void run(State s, Bytes bytes, int end, Plan plan, MarkPolicy policy, boolean planning,
            boolean insertionStarted) {
        int i = 0;
        boolean closesHere = s.phase != CLOSED; // a close that happens in this run, not an earlier one
        while (true) {
            if (s.phase == H2 && s.frameHeaderSeen == 0 && s.framePayloadLeft == 0 && !s.headerBlockOpen
                    && !s.goawaySent) {
                // a frame boundary outside a header block: the GOAWAY may go here
                boolean due = planning ? policy.goawayDue() : plan.insertAt == s.offset && plan.inserted == GOAWAY;
                if (due) {
                    s.insertOwed = GOAWAY;
                    s.goawaySent = true;
                }
            }
            if (s.insertOwed != null) {
                if (planning) {
                    // the plan assumes it goes out here; commit learns whether it did
                    plan.insertAt = s.offset;
                    plan.inserted = s.insertOwed;
                    s.insertOwed = null;
                } else if (i < end || insertionStarted) {
                    // a byte after it has left, so it has; or some of it has, and the rest is the
                    // caller's to send first
                    s.insertOwed = null;
                }
            }
            if (i >= end) {
                return;
            }
            if (planning && s.phase == CLOSED && s.saysClose && plan.endAt < 0 && closesHere) {
                plan.endAt = s.offset;
            }
            switch (s.phase) {
                case LOOKING:
                    if (recognise(s, bytes, i)) {
                        continue;
                    }
                    // fall through: not a response start; untouched to the end of this write
                case UPGRADED:
                case CLOSED:
                case OPAQUE:
                case UNTIL_CLOSE:
                    s.offset += end - i;
                    i = end;
                    continue;
                case H2:
                    if (s.frameHeaderSeen == 9 && s.framePayloadLeft > 0) {
                        long n = Math.min(s.framePayloadLeft, end - i);
                        s.framePayloadLeft -= n;
                        s.offset += n;
                        i += (int) n;
                        if (s.framePayloadLeft == 0) {
                            s.frameHeaderSeen = 0;
                        }
                        continue;
                    }
                    break;
                case BODY: {
                    long n = Math.min(s.remaining, end - i);
                    s.remaining -= n;
                    s.offset += n;
                    i += (int) n;
                    if (s.remaining == 0) {
                        responseDone(s, planning);
                    }
                    continue;
                }
                case CHUNK_DATA: {
                    long n = Math.min(s.remaining, end - i);
                    s.remaining -= n;
                    s.offset += n;
                    i += (int) n;
                    if (s.remaining == 0) {
                        s.phase = CHUNK_END;
                    }
                    continue;
                }
                default:
                    break;
            }
            byte b = bytes.at(i);
            i++;
            s.offset++;
            switch (s.phase) {
                case STATUS:
                    status(s, b, plan, policy, planning);
                    break;
                case HEADER_NAME:
                    headerName(s, b, planning);
                    break;
                case HEADER_VALUE:
                    headerValue(s, b, plan, planning);
                    break;
                case CHUNK_SIZE:
                    chunkSize(s, b);
                    break;
                case H2:
                    frameHeader(s, b);
                    break;
                case CHUNK_END:
                    if (b == '\n') {
                        s.phase = CHUNK_SIZE;
                        s.chunkSize = 0;
                        s.chunkDigits = 0;
                        s.chunkExtension = false;
                    }
                    break;
                case TRAILER:
                    if (b == '\n') {
                        if (s.lineEmpty) {
                            responseDone(s, planning);
                        }
                        s.lineEmpty = true;
                    } else if (b != '\r') {
                        s.lineEmpty = false;
                    }
                    break;
                default:
                    throw new IllegalStateException("phase " + s.phase);
            }
        }
    }

    /**
     * While looking, at {@code from} of a write (its first byte, or where a response we followed
     * ended): a response starts there when the rest of the write begins with a whole header block
     * (or, right where a response we followed ended, with a status line). Reads the whole write,
     * beyond what may be consumed: plan and commit see the same bytes and so decide the same.
     */
    private static boolean recognise(State s, Bytes bytes, int from) {
        int end = s.atBoundary ? statusLineEnd(bytes, from) : headerBlockEnd(bytes, from);
        s.atBoundary = false;
        if (end < 0) {
            // body bytes of something we did not see begin, or not HTTP/1.x
            if (from == 0 && isTlsRecord(bytes)) {
                s.sawTls = true;
            } else if (from == 0 && framesEnd(bytes) == bytes.length()) {
                startFrames(s); // whole HTTP/2 frames, and nothing else
                return true;
            } else if (from == 0 && webSocketFramesEnd(bytes) == bytes.length()) {
                // A WebSocket upgraded before the drain began (its 101 went out unseen): left
                // alone, and waited for, as one upgraded during the drain.
                s.phase = UPGRADED;
                return true;
            }
            return false;
        }
        s.phase = STATUS;
        s.statusField = 0;
        s.status = 0;
        s.sawResponse = true;
        s.saysClose = false;
        s.contentLength = -1;
        s.badLength = false;
        s.chunked = false;
        s.upgradeH2c = false;
        return true;
    }

    private static void startFrames(State s) {
        s.phase = H2;
        s.frameHeaderSeen = 0;
        s.framePayloadLeft = 0;
        s.headerBlockOpen = false;
    }

    private static void frameHeader(State s, byte b) {
        s.frame[s.frameHeaderSeen++] = b;
        if (s.frameHeaderSeen < 9) {
            return;
        }
        int type = s.frame[3] & 0xff;
        int flags = s.frame[4] & 0xff;
        if (type == HEADERS || type == PUSH_PROMISE || type == CONTINUATION) {
            s.headerBlockOpen = (flags & END_HEADERS) == 0;
        }
        s.framePayloadLeft = frameLength(s.frame, 0);
        if (s.framePayloadLeft == 0) {
            s.frameHeaderSeen = 0;
        }
    }

    private static final int HEADERS = 1;
    private static final int PUSH_PROMISE = 5;
    private static final int CONTINUATION = 9;
    private static final int END_HEADERS = 0x4;

    private static long frameLength(byte[] b, int at) {
        return ((b[at] & 0xffL) << 16) | ((b[at + 1] & 0xffL) << 8) | (b[at + 2] & 0xffL);
    }

    /**
     * Where a chain of well-formed HTTP/2 frames that starts at the first byte ends, or -1: each
     * frame of a known type, with a stream id its type allows and the length its type fixes, and
     * none left open (a frame is whole).
     */
    static int framesEnd(Bytes bytes) {
        int n = bytes.length();
        int at = 0;
        byte[] h = new byte[9];
        while (at < n) {
            if (n - at < 9) {
                return -1;
            }
            for (int i = 0; i < 9; i++) {
                h[i] = bytes.at(at + i);
            }
            long length = frameLength(h, 0);
            int type = h[3] & 0xff;
            long stream = ((h[5] & 0xffL) << 24) | ((h[6] & 0xffL) << 16) | ((h[7] & 0xffL) << 8) | (h[8] & 0xffL);
            if ((stream & 0x80000000L) != 0 || !plausibleFrame(type, length, stream)) {
                return -1;
            }
            if (length > n - at - 9) {
                return -1;
            }
            at += 9 + (int) length;
        }
        return at == 0 ? -1 : at;
    }

    /**
     * Where a chain of well-formed WebSocket frames as a server sends them (RFC 6455 §5.2) that
     * starts at the first byte ends, or -1: unmasked, RSV2 and RSV3 clear (RSV1 is
     * permessage-deflate's), a defined opcode, control frames final and at most 125 bytes, each
     * length in its shortest form, and the last frame ending exactly at the write's end.
     */
    static int webSocketFramesEnd(Bytes bytes) {
        int n = bytes.length();
        long at = 0;
        while (at < n) {
            if (n - at < 2) {
                return -1;
            }
            int b0 = bytes.at((int) at) & 0xff;
            int b1 = bytes.at((int) at + 1) & 0xff;
            int opcode = b0 & 0x0f;
            boolean fin = (b0 & 0x80) != 0;
            boolean control = opcode >= 8;
            if ((b0 & 0x30) != 0 || (b1 & 0x80) != 0 || !(opcode <= 2 || (opcode >= 8 && opcode <= 10))) {
                return -1;
            }
            long length = b1 & 0x7f;
            int header = 2;
            if (length == 126) {
                if (n - at < 4) {
                    return -1;
                }
                length = ((bytes.at((int) at + 2) & 0xffL) << 8) | (bytes.at((int) at + 3) & 0xffL);
                header = 4;
                if (length < 126) {
                    return -1;
                }
            } else if (length == 127) {
                if (n - at < 10) {
                    return -1;
                }
                length = 0;
                for (int i = 2; i < 10; i++) {
                    length = (length << 8) | (bytes.at((int) at + i) & 0xffL);
                }
                header = 10;
                if (length < 65536) { // also refuses a most significant bit that is set
                    return -1;
                }
            }
            if (control && (!fin || length > 125 || (b0 & 0x40) != 0)) {
                return -1;
            }
            if (length > n - at - header) {
                return -1;
            }
            at += header + length;
        }
        return at == 0 ? -1 : (int) at;
    }

    private static boolean plausibleFrame(int type, long length, long stream) {
        switch (type) {
            case 0: // DATA
            case HEADERS:
            case CONTINUATION:
                return stream != 0;
            case 2: // PRIORITY
                return stream != 0 && length == 5;
            case 3: // RST_STREAM
                return stream != 0 && length == 4;
            case 4: // SETTINGS
                return stream == 0 && length % 6 == 0;
            case PUSH_PROMISE:
                return stream != 0 && length >= 4;
            case 6: // PING
                return stream == 0 && length == 8;
            case 7: // GOAWAY
                return stream == 0 && length >= 8;
            case 8: // WINDOW_UPDATE
                return length == 4;
            default:
                return false;
        }
    }

    private static void status(State s, byte b, Plan plan, MarkPolicy policy, boolean planning) {
        if (b == '\n') {
            startHeaderLine(s);
            s.phase = HEADER_NAME;
            if (s.status >= 200) {
                long at = s.offset; // right after this LF
                boolean mark = planning ? policy.mayClose() : !plan.declined(at);
                if (mark) {
                    s.insertOwed = CLOSE_LINE;
                    s.saysClose = true;
                } else if (planning) {
                    plan.decline(at);
                }
            }
            return;
        }
        if (s.statusField == 0) {
            if (b == ' ') {
                s.statusField = 1;
            }
        } else if (s.statusField == 1) {
            if (b >= '0' && b <= '9') {
                s.status = s.status * 10 + (b - '0');
            } else {
                s.statusField = 2;
            }
        }
    }

    private static void startHeaderLine(State s) {
        s.lineEmpty = true;
        s.sawCr = false;
        s.nameLength = 0;
        s.header = OTHER;
    }

    private void headerName(State s, byte b, boolean planning) {
        if (b == '\n') {
            if (s.lineEmpty) {
                headersDone(s, planning);
            } else {
                startHeaderLine(s); // a line without a colon: ignored, as clients do
            }
            return;
        }
        if (b == '\r') {
            return;
        }
        s.lineEmpty = false;
        if (b == ':') {
            s.header = classify(s);
            s.phase = HEADER_VALUE;
            s.tokenLength = 0;
            s.tokenStart = -1;
            return;
        }
        if (s.nameLength >= 0) {
            if (s.nameLength == s.name.length) {
                s.nameLength = -1;
            } else {
                s.name[s.nameLength++] = lower(b);
            }
        }
    }

    private static int classify(State s) {
        for (int h = 1; h < NAMES.length; h++) {
            byte[] n = NAMES[h];
            if (n.length == s.nameLength) {
                boolean same = true;
                for (int i = 0; i < n.length && same; i++) {
                    same = n[i] == s.name[i];
                }
                if (same) {
                    return h;
                }
            }
        }
        return OTHER;
    }

    private static void headerValue(State s, byte b, Plan plan, boolean planning) {
        if (b == '\n') {
            endToken(s, plan, planning);
            startHeaderLine(s);
            s.phase = HEADER_NAME;
            return;
        }
        if (b == '\r') {
            return;
        }
        switch (s.header) {
            case CONTENT_LENGTH:
                if (b >= '0' && b <= '9') {
                    if (s.contentLength < 0) {
                        s.contentLength = 0;
                    }
                    if (s.contentLength > (Long.MAX_VALUE - 9) / 10) {
                        s.badLength = true;
                    } else {
                        s.contentLength = s.contentLength * 10 + (b - '0');
                    }
                } else if (b != ' ' && b != '\t') {
                    s.badLength = true;
                }
                break;
            case TRANSFER_ENCODING:
            case CONNECTION:
            case UPGRADE:
                if (b == ',') {
                    endToken(s, plan, planning);
                } else if (b == ' ' || b == '\t') {
                    if (s.tokenStart >= 0) {
                        endToken(s, plan, planning);
                    }
                } else {
                    if (s.tokenStart < 0) {
                        s.tokenStart = s.offset - 1;
                        s.tokenLength = 0;
                        if (s.header == TRANSFER_ENCODING) {
                            s.chunked = false; // a later coding: chunked only if it is the last one
                        }
                    }
                    if (s.tokenLength >= 0) {
                        if (s.tokenLength == s.token.length) {
                            s.tokenLength = -1;
                        } else {
                            s.token[s.tokenLength++] = lower(b);
                        }
                    }
                }
                break;
            default:
                break;
        }
    }

    private static void endToken(State s, Plan plan, boolean planning) {
        if (s.tokenStart < 0) {
            return;
        }
        if (s.header == TRANSFER_ENCODING) {
            s.chunked = tokenIs(s, "chunked");
        } else if (s.header == UPGRADE) {
            s.upgradeH2c |= tokenIs(s, "h2c");
        } else if (s.header == CONNECTION) {
            if (tokenIs(s, "close")) {
                s.saysClose = true;
            } else if (s.saysClose && tokenIs(s, KEEP_ALIVE)) {
                // only in a response we mark (saysClose from our line), and only if the whole token
                // is in this write: bytes of an earlier write may have left already
                if (planning && s.tokenStart >= plan.start) {
                    plan.replace(s.tokenStart);
                }
            }
        }
        s.tokenStart = -1;
        s.tokenLength = 0;
    }

    private static boolean tokenIs(State s, String word) {
        return tokenIs(s, bytes(word));
    }

    private static boolean tokenIs(State s, byte[] word) {
        if (s.tokenLength != word.length) {
            return false;
        }
        for (int i = 0; i < word.length; i++) {
            if (s.token[i] != word[i]) {
                return false;
            }
        }
        return true;
    }

    private void headersDone(State s, boolean planning) {
        int code = s.status;
        if (code == 101) {
            if (s.upgradeH2c) {
                startFrames(s); // the server's connection preface follows at once
            } else {
                s.phase = UPGRADED;
            }
        } else if (code >= 100 && code < 200) {
            s.phase = LOOKING; // interim (100 Continue, 103 Early Hints): the final one follows
            s.atBoundary = true;
        } else if (code == 204 || code == 304) {
            responseDone(s, planning);
        } else if (s.chunked) {
            s.phase = CHUNK_SIZE;
            s.chunkSize = 0;
            s.chunkDigits = 0;
            s.chunkExtension = false;
        } else if (s.badLength) {
            s.phase = OPAQUE;
        } else if (s.contentLength >= 0) {
            s.phase = BODY;
            s.remaining = s.contentLength;
            if (s.remaining == 0) {
                responseDone(s, planning);
            }
        } else {
            s.phase = UNTIL_CLOSE;
        }
    }

    private static void chunkSize(State s, byte b) {
        if (b == '\n') {
            if (s.chunkDigits == 0) {
                s.phase = OPAQUE; // not a chunk-size line: we lost the framing
            } else if (s.chunkSize == 0) {
                s.phase = TRAILER;
                s.lineEmpty = true;
            } else {
                s.phase = CHUNK_DATA;
                s.remaining = s.chunkSize;
            }
            return;
        }
        if (s.chunkExtension || b == '\r') {
            return;
        }
        int digit = hex(b);
        if (digit >= 0) {
            if (s.chunkSize > (Long.MAX_VALUE >> 4)) {
                s.phase = OPAQUE;
                return;
            }
            s.chunkSize = (s.chunkSize << 4) | digit;
            s.chunkDigits++;
        } else {
            s.chunkExtension = true; // ';ext' or whitespace: the size is complete
        }
    }

    private void responseDone(State s, boolean planning) {
        if (s.saysClose) {
            s.phase = CLOSED;
            if (!planning) {
                closing = true;
            }
        } else {
            s.phase = LOOKING;
            s.atBoundary = true;
        }
    }

    // ------------------------------------------------------------------ recognising a start

    /** Index after the status line's LF when the bytes from {@code f} are an HTTP/1.x status line, else -1. */
    static int statusLineEnd(Bytes bytes, int f) {
        int n = bytes.length();
        // "HTTP/1.x DDD" then SP or the line end
        if (n - f < 13 || bytes.at(f) != 'H' || bytes.at(f + 1) != 'T' || bytes.at(f + 2) != 'T'
                || bytes.at(f + 3) != 'P' || bytes.at(f + 4) != '/' || bytes.at(f + 5) != '1' || bytes.at(f + 6) != '.'
                || (bytes.at(f + 7) != '0' && bytes.at(f + 7) != '1') || bytes.at(f + 8) != ' '
                || !digit(bytes.at(f + 9)) || !digit(bytes.at(f + 10)) || !digit(bytes.at(f + 11))) {
            return -1;
        }
        byte after = bytes.at(f + 12);
        if (after != ' ' && after != '\r' && after != '\n') {
            return -1;
        }
        for (int i = f + 12; i < n; i++) {
            byte b = bytes.at(i);
            if (b == '\n') {
                return i + 1;
            }
            if (b < 0x20 && b != '\t' && b != '\r') {
                return -1;
            }
        }
        return -1;
    }

    /**
     * Index after the empty line when the bytes from {@code from} begin with a whole response
     * header block: a status line, then lines {@code token ":" value}, then an empty line. Else -1.
     */
    static int headerBlockEnd(Bytes bytes, int from) {
        int i = statusLineEnd(bytes, from);
        if (i < 0) {
            return -1;
        }
        int n = bytes.length();
        while (i < n) {
            // one header line, or the empty line
            byte first = bytes.at(i);
            if (first == '\n') {
                return i + 1;
            }
            if (first == '\r') {
                return i + 1 < n && bytes.at(i + 1) == '\n' ? i + 2 : -1;
            }
            int j = i;
            while (j < n && tokenChar(bytes.at(j))) {
                j++;
            }
            if (j == i || j == n || bytes.at(j) != ':') {
                return -1;
            }
            for (j++; j < n; j++) {
                byte b = bytes.at(j);
                if (b == '\n') {
                    break;
                }
                if (b < 0x20 && b != '\t' && b != '\r') {
                    return -1;
                }
            }
            if (j == n) {
                return -1;
            }
            i = j + 1;
        }
        return -1;
    }

    // content type (change_cipher_spec, alert, handshake, application_data), then version 3.x
    private static boolean isTlsRecord(Bytes bytes) {
        return bytes.length() >= 5 && bytes.at(0) >= 20 && bytes.at(0) <= 23 && bytes.at(1) == 3 && bytes.at(2) <= 4;
    }

    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }

    // RFC 9110 tchar
    private static boolean tokenChar(byte b) {
        if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')) {
            return true;
        }
        switch (b) {
            case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-':
            case '.': case '^': case '_': case '`': case '|': case '~':
                return true;
            default:
                return false;
        }
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    private static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
    }

    private static byte[] bytes(String s) {
        byte[] b = new byte[s.length()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) s.charAt(i);
        }
        return b;
    }
}
