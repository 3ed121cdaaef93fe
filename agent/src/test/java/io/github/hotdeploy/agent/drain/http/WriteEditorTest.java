package io.github.hotdeploy.agent.drain.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * The byte streams a client receives from a server whose writes go through a {@link WriteEditor}:
 * split into writes of every shape, with the kernel taking any part of each, the client must see
 * exactly the app's bytes with the close line after the next final status line, and the FIN must
 * come right after that response's last byte, never before.
 */
class WriteEditorTest {

    private static final String CLOSE = "Connection: close\r\n";

    // ------------------------------------------------------------------ a simulated connection

    /** Writes the whole of {@code app} through an editor and collects what the client receives. */
    static final class Connection {
        final WriteEditor editor = new WriteEditor();
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        long finAtAppOffset = -1;
        int fins;
        long appOffset;

        /** One write of {@code app[from, from+length)}; the kernel takes at most {@code take} bytes. */
        int write(byte[] app, int from, int length, int take, ResponseStream.MarkPolicy policy) {
            Bytes src = Bytes.of(app, from, length);
            WriteEditor.Edit edit = editor.prepare(src, policy);
            byte[] out = edit.replacement() == null ? java.util.Arrays.copyOfRange(app, from, from + length)
                    : edit.replacement();
            int k = Math.min(take, out.length);
            assertThat(fins).as("a write after our FIN (it would fail with EPIPE)").isZero();
            received.write(out, 0, k);
            int consumed = editor.written(edit, k);
            assertThat(consumed).isBetween(0, length);
            appOffset += consumed;
            if (editor.takeFinDue()) {
                fins++;
                finAtAppOffset = appOffset;
            }
            return consumed;
        }

        String text() {
            return received.toString(ISO_8859_1);
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(ISO_8859_1);
    }

    private static Connection sendAll(String app, int... writeSizes) {
        Connection c = new Connection();
        byte[] bytes = b(app);
        int at = 0;
        for (int size : writeSizes) {
            while (size > 0) {
                int n = c.write(bytes, at, size, Integer.MAX_VALUE, ResponseStream.ALWAYS);
                at += n;
                size -= n;
            }
        }
        while (at < bytes.length || c.editor.hasPending()) {
            at += c.write(bytes, at, bytes.length - at, Integer.MAX_VALUE, ResponseStream.ALWAYS);
        }
        return c;
    }

    // ------------------------------------------------------------------ cases by hand

    @Test
    void aContentLengthResponseGetsTheCloseLineAfterItsStatusLineAndTheFinAfterItsLastByte() {
        String response = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello";
        Connection c = sendAll(response);
        assertThat(c.text()).isEqualTo("HTTP/1.1 200 OK\r\n" + CLOSE + "Content-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello");
        assertThat(c.fins).isEqualTo(1);
        assertThat(c.finAtAppOffset).isEqualTo(response.length());
    }

    @Test
    void aChunkedBodyWrittenOneByteAtATimeIsFollowedToItsLastChunkAndTrailers() {
        String head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        String body = "5;ext=1\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: t\r\n\r\n";
        int[] sizes = new int[body.length() + 1];
        sizes[0] = head.length(); // the header block as one write, as servers write it
        java.util.Arrays.fill(sizes, 1, sizes.length, 1);
        Connection c = sendAll(head + body, sizes);
        assertThat(c.text()).isEqualTo("HTTP/1.1 200 OK\r\n" + CLOSE + "Transfer-Encoding: chunked\r\n\r\n" + body);
        assertThat(c.finAtAppOffset).isEqualTo(head.length() + body.length());
    }

    @Test
    void jetty11sChunkedResponseInItsOwnWrites() {
        String head = "HTTP/1.1 200 OK\r\nMatched-Stub-Id: 89b7848f-89b6-4c41-8a5b-c9e42b5ffc1c\r\nTransfer-Encoding: chunked\r\n\r\n";
        for (int[] split : new int[][] {{head.length() + 12}, {head.length(), 7, 5}, {head.length(), 3, 4, 5}, {head.length(), 12}}) {
            Connection c = sendAll(head + "2\r\nok\r\n0\r\n\r\n", split);
            assertThat(c.fins).as(java.util.Arrays.toString(split)).isEqualTo(1);
        }
    }

    @Test
    void noFinBeforeTheLastByteOfABodyWhoseWritesPauseMidway() {
        String head = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n";
        Connection c = new Connection();
        byte[] app = b(head + "0123456789");
        int at = c.write(app, 0, head.length() + 4, Integer.MAX_VALUE, ResponseStream.ALWAYS);
        assertThat(at).isEqualTo(head.length() + 4);
        assertThat(c.fins).isZero();
        assertThat(c.editor.stream().inResponse()).isTrue();
        at += c.write(app, at, 5, Integer.MAX_VALUE, ResponseStream.ALWAYS);
        assertThat(c.fins).isZero();
        c.write(app, at, 1, Integer.MAX_VALUE, ResponseStream.ALWAYS);
        assertThat(c.fins).isEqualTo(1);
        assertThat(c.editor.stream().closed()).isTrue();
    }

    @Test
    void anInterimResponseIsLeftAloneAndTheFinalOneInTheSameWriteIsMarked() {
        String app = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok";
        Connection c = sendAll(app);
        assertThat(c.text()).isEqualTo("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\n" + CLOSE + "Content-Length: 2\r\n\r\nok");
        assertThat(c.fins).isEqualTo(1);
    }

    @Test
    void anUpgradeIsLeftAloneAndWhatFollowsIsNotHttp() {
        String app = "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n\u0081\u0005hello"
                + "HTTP/1.1 200 OK\r\n\r\n";
        Connection c = sendAll(app);
        assertThat(c.text()).isEqualTo(app);
        assertThat(c.editor.stream().upgraded()).isTrue();
        assertThat(c.fins).isZero();
    }

    @Test
    void webSocketFramesOfAConnectionUpgradedBeforeTheDrainAreTakenForAnUpgrade() {
        String ext16 = "\u0082\u007e\u0001\u0000" + "b".repeat(256);                        // binary, 16-bit length
        String ext64 = "\u0082\u007f\0\0\0\0\0\u0001\0\0" + "c".repeat(65536);             // binary, 64-bit length
        String deflated = "\u00c1\u0003abc";                                                  // RSV1: permessage-deflate
        for (String write : new String[] {"\u0081\u0005hello", "\u0001\u0002he\u0080\u0003llo\u0089\u0000", ext16, ext64,
                deflated, "\u0088\u0002\u0003\u00e9"}) {
            Connection c = sendAll(write);
            assertThat(c.editor.stream().upgraded()).as("%s", write.length()).isTrue();
            assertThat(c.text()).isEqualTo(write);
            assertThat(c.fins).isZero();
        }
    }

    @Test
    void writesThatAreNotWholeServerWebSocketFramesAreNotTakenForOne() {
        for (String write : new String[] {"\u0081\u0005hell", "\u0081\u0005hello!", "\u0081\u0085abcdhello", // short, long, masked
                "\u0009\u0001x", "\u0083\u0001x", "\u00a1\u0001x",                                      // control not final, opcode 3, RSV2
                "\u0082\u007e\u0000\u0005hello", "\u0089\u007e\u0000\u007e" + "p".repeat(126),         // length not shortest, long ping
                "hello, world", "{\"a\":1}"}) {
            Connection c = sendAll(write);
            assertThat(c.editor.stream().upgraded()).as("%s", write.chars().boxed().toList()).isFalse();
            assertThat(c.text()).isEqualTo(write);
        }
    }

    @Test
    void aKeepAliveTokenOfTheMarkedResponseBecomesClosePaddedToTheSameLength() {
        String app = "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n";
        Connection c = sendAll(app);
        assertThat(c.text()).isEqualTo("HTTP/1.0 200 OK\r\n" + CLOSE + "Connection: close     \r\nContent-Length: 0\r\n\r\n");
        assertThat(c.fins).isEqualTo(1);
    }

    @Test
    void responsesWithoutABodyEndAtTheirHeader() {
        for (String status : new String[] {"204 No Content", "304 Not Modified"}) {
            Connection c = sendAll("HTTP/1.1 " + status + "\r\nContent-Length: 7\r\n\r\n");
            assertThat(c.fins).as(status).isEqualTo(1);
        }
    }

    @Test
    void aResponseWhoseEndIsUnknownGetsNoFin() {
        // no framing: it ends with the close; a HEAD-like Content-Length with no body never ends
        assertThat(sendAll("HTTP/1.1 200 OK\r\n\r\nsome body until close").fins).isZero();
        Connection head = sendAll("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n");
        assertThat(head.fins).isZero();
        assertThat(head.editor.stream().inResponse()).isTrue();
        assertThat(sendAll("HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\nabc").fins).isZero();
    }

    @Test
    void bytesOfAResponseBegunBeforeTheDrainPassUntouchedAndTheNextResponseIsMarked() {
        String tail = "rest of an earlier body, HTTP/1.1 200 OK\r\nX: y\r\n\r\n inside it";
        String next = "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx";
        Connection c = sendAll(tail + next, tail.length(), next.length());
        assertThat(c.text()).isEqualTo(tail + "HTTP/1.1 200 OK\r\n" + CLOSE + "Content-Length: 1\r\n\r\nx");
        assertThat(c.fins).isEqualTo(1);
    }

    @Test
    void aWriteThatIsNotAWholeHeaderBlockIsNotTakenForAResponseStart() {
        // a body chunk that merely begins like a status line
        String app = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n";
        Connection c = sendAll(app);
        assertThat(c.text()).isEqualTo(app);
        assertThat(c.editor.stream().sawResponse()).isFalse();
    }

    @Test
    void tlsRecordsAndOtherProtocolsPassUntouched() {
        String app = "\u0017\u0003\u0003\u0000\u0005abcdeHTTP/1.1 200 OK\r\n\r\n";
        Connection c = sendAll(app);
        assertThat(c.text()).isEqualTo(app);
    }

    @Test
    void aResponseThePolicyDeclinesIsLeftAloneAndTheNextOneIsMarked() {
        String first = "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na";
        String second = "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb";
        Connection c = new Connection();
        boolean[] answers = {false, true};
        int[] asked = {0};
        ResponseStream.MarkPolicy policy = new ResponseStream.MarkPolicy() {
            @Override
            public boolean mayClose() {
                return answers[asked[0]++];
            }

            @Override
            public boolean goawayDue() {
                return false;
            }
        };
        byte[] app = b(first + second);
        c.write(app, 0, first.length(), Integer.MAX_VALUE, policy);
        c.write(app, first.length(), second.length(), Integer.MAX_VALUE, policy);
        assertThat(c.text()).isEqualTo(first + "HTTP/1.1 200 OK\r\n" + CLOSE + "Content-Length: 1\r\n\r\nb");
        assertThat(asked[0]).isEqualTo(2);
        assertThat(c.finAtAppOffset).isEqualTo(app.length);
    }

    @Test
    void aCloseLineCutShortByTheKernelIsFinishedBeforeAnythingElse() {
        String app = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        Connection c = new Connection();
        byte[] bytes = b(app);
        // the kernel takes the status line and 5 bytes of our line: the app is told 17 bytes left
        int consumed = c.write(bytes, 0, bytes.length, 17 + 5, ResponseStream.ALWAYS);
        assertThat(consumed).isEqualTo(17);
        assertThat(c.editor.hasPending()).isTrue();
        // next the kernel takes only 3 more bytes, all ours: the app is told none of its own left
        assertThat(c.write(bytes, 17, bytes.length - 17, 3, ResponseStream.ALWAYS)).isZero();
        int rest = c.write(bytes, 17, bytes.length - 17, Integer.MAX_VALUE, ResponseStream.ALWAYS);
        assertThat(rest).isEqualTo(bytes.length - 17);
        assertThat(c.text()).isEqualTo("HTTP/1.1 200 OK\r\n" + CLOSE + "Content-Length: 2\r\n\r\nok");
        assertThat(c.fins).isEqualTo(1);
    }

    @Test
    void gatheringWritesAreReadAcrossTheirBuffers() {
        ByteBuffer[] buffers = {ByteBuffer.wrap(b("xxHTTP/1.1 200 OK\r\nCont")), ByteBuffer.allocate(0),
            ByteBuffer.allocateDirect(32).put(b("ent-Length: 2\r\n\r\n")).flip(), ByteBuffer.wrap(b("ok"))};
        buffers[0].position(2);
        Bytes bytes = Bytes.of(buffers, 0, buffers.length);
        assertThat(bytes.length()).isEqualTo(17 + 4 + 17 + 2);
        assertThat(ResponseStream.headerBlockEnd(bytes, 0)).isEqualTo(38);
        byte[] all = new byte[bytes.length()];
        bytes.copy(0, all, 0, all.length);
        assertThat(new String(all, ISO_8859_1)).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        assertThat(buffers[0].position()).isEqualTo(2);
        // a write moves the buffers on; the bytes it took are still read as they were
        for (ByteBuffer buffer : buffers) {
            buffer.position(buffer.limit());
        }
        assertThat(bytes.at(bytes.length() - 1)).isEqualTo((byte) 'k');
        assertThat(Bytes.of(ByteBuffer.wrap(b("ok"))).at(1)).isEqualTo((byte) 'k');
    }

    // ------------------------------------------------------------------ HTTP/2

    private static String frame(int type, int flags, int stream, String payload) {
        int n = payload.length();
        return new String(new char[] {(char) (n >> 16), (char) ((n >> 8) & 0xff), (char) (n & 0xff), (char) type,
            (char) flags, (char) (stream >>> 24), (char) ((stream >> 16) & 0xff), (char) ((stream >> 8) & 0xff),
            (char) (stream & 0xff)}) + payload;
    }

    private static final String GOAWAY = new String(ResponseStream.GOAWAY, ISO_8859_1);

    private static ResponseStream.MarkPolicy goaway(boolean due) {
        return new ResponseStream.MarkPolicy() {
            @Override
            public boolean mayClose() {
                return true;
            }

            @Override
            public boolean goawayDue() {
                return due;
            }
        };
    }

    @Test
    void http2FramesGetAGracefulGoawayAtAFrameBoundaryOnceItIsDue() {
        String headers = frame(1, 0x4, 1, "hdrs");       // HEADERS, END_HEADERS
        String data = frame(0, 0x1, 1, "hello world"); // DATA, END_STREAM
        Connection c = new Connection();
        byte[] first = b(headers + data);
        c.write(first, 0, first.length, Integer.MAX_VALUE, goaway(false));
        assertThat(c.text()).isEqualTo(headers + data);
        assertThat(c.editor.stream().http2()).isTrue();
        byte[] second = b(headers + data);
        c.write(second, 0, second.length, Integer.MAX_VALUE, goaway(true));
        assertThat(c.text()).isEqualTo(headers + data + GOAWAY + headers + data);
        assertThat(c.editor.stream().goawaySent()).isTrue();
        assertThat(c.editor.stream().inResponse()).as("HTTP/2 streams are not followed").isFalse();
        byte[] third = b(data);
        c.write(third, 0, third.length, Integer.MAX_VALUE, goaway(true));
        assertThat(c.text()).as("one GOAWAY only").endsWith(GOAWAY + headers + data + data);
        assertThat(c.fins).isZero();
    }

    @Test
    void noGoawayInsideAHeaderBlockThatContinues() {
        String open = frame(1, 0, 3, "part");              // HEADERS without END_HEADERS
        String continuation = frame(9, 0x4, 3, "rest");    // CONTINUATION, END_HEADERS
        String data = frame(0, 0x1, 3, "x");
        Connection c = new Connection();
        byte[] a = b(frame(8, 0, 0, "\0\0\0\1"));        // WINDOW_UPDATE: recognised, no GOAWAY yet
        c.write(a, 0, a.length, Integer.MAX_VALUE, goaway(false));
        byte[] bytes = b(open + continuation + data);
        c.write(bytes, 0, open.length(), Integer.MAX_VALUE, goaway(false));
        // due from here: the write begins inside the header block, so not here but after its end
        c.write(bytes, open.length(), bytes.length - open.length(), Integer.MAX_VALUE, goaway(true));
        String sent = c.text().substring(a.length);
        assertThat(sent).isEqualTo(open + continuation + GOAWAY + data);
    }

    @Test
    void anH2cUpgradeIsFollowedByFrames() {
        String upgrade = "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n";
        String settings = frame(4, 0, 0, "");
        Connection c = sendAll(upgrade + settings);
        assertThat(c.text()).isEqualTo(upgrade + GOAWAY + settings);
        assertThat(c.editor.stream().upgraded()).isFalse();
        assertThat(c.editor.stream().http2()).isTrue();
    }

    @Test
    void writesThatAreNotWholeFramesAreNotTakenForHttp2() {
        String data = frame(0, 0, 1, "hello");
        for (String write : new String[] {data.substring(0, 8), data + "x", "\0\0\5\12\0\0\0\0\1hello"}) {
            Connection c = sendAll(write);
            assertThat(c.editor.stream().http2()).as("%s", write.chars().boxed().toList()).isFalse();
            assertThat(c.text()).isEqualTo(write);
        }
    }

    @RepeatedTest(100)
    void http2FramesSplitAnyWayGetOneGoawayBetweenWholeFrames() {
        long seed = new Random().nextLong();
        Random r = new Random(seed);
        List<String> frames = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            int stream = 1 + 2 * r.nextInt(20);
            frames.add(switch (r.nextInt(5)) {
                case 0 -> frame(1, r.nextBoolean() ? 0x4 : 0x5, stream, "h".repeat(r.nextInt(50)));
                case 1 -> frame(1, 0, stream, "p") + frame(9, 0, stream, "q") + frame(9, 0x4, stream, "r");
                case 2 -> frame(6, 0, 0, "12345678");
                default -> frame(0, r.nextBoolean() ? 1 : 0, stream, "d".repeat(r.nextInt(20_000)));
            });
        }
        String app = String.join("", frames);
        byte[] bytes = b(app);
        Connection c = new Connection();
        int at = c.write(bytes, 0, frames.get(0).length(), Integer.MAX_VALUE, goaway(false)); // recognised
        boolean due = false;
        while (at < bytes.length || c.editor.hasPending()) {
            due |= r.nextInt(10) == 0;
            int size = Math.min(bytes.length - at, 1 + r.nextInt(9000));
            int take = r.nextInt(3) == 0 ? r.nextInt(40) : Integer.MAX_VALUE;
            at += c.write(bytes, at, size, take, goaway(due));
        }
        String sent = c.text();
        int g = sent.indexOf(GOAWAY);
        if (due) {
            assertThat(g).as("seed %d", seed).isGreaterThanOrEqualTo(0);
            assertThat(sent.substring(0, g) + sent.substring(g + GOAWAY.length())).as("seed %d", seed).isEqualTo(app);
            // where it went is the end of a whole frame chain, outside a header block
            int boundary = 0;
            boolean found = false;
            for (String f : frames) {
                boundary += f.length();
                found |= boundary == g;
            }
            assertThat(found || g == frames.get(0).length() || g == 0).as("seed %d: GOAWAY at %d", seed, g).isTrue();
        } else {
            assertThat(sent).isEqualTo(app);
        }
    }

    // ------------------------------------------------------------------ every shape, at random

    /** A response and what the client must receive of it when it is the one we mark. */
    record Sample(String app, String marked, boolean finAtEnd) {
    }

    private static Sample randomResponse(Random r) {
        String body;
        StringBuilder headers = new StringBuilder();
        String status;
        boolean fin = true;
        boolean keepAlive = r.nextInt(4) == 0;
        int kind = r.nextInt(5);
        int size = r.nextInt(4) == 0 ? r.nextInt(40_000) : r.nextInt(300);
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < size; i++) {
            // bodies that look like HTTP inside, to catch any edit inside a body
            content.append(i % 97 == 0 ? "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\n\r\n" : (char) ('a' + r.nextInt(26)));
        }
        if (kind == 0) {
            status = "HTTP/1.1 204 No Content\r\n";
            body = "";
        } else if (kind == 1) {
            status = "HTTP/1.1 200 OK\r\n";
            headers.append("Transfer-Encoding: gzip, chunked\r\n");
            StringBuilder chunks = new StringBuilder();
            String rest = content.toString();
            while (!rest.isEmpty()) {
                int n = Math.min(rest.length(), 1 + r.nextInt(5000));
                chunks.append(Integer.toHexString(n)).append(r.nextBoolean() ? ";a=b" : "").append("\r\n")
                        .append(rest, 0, n).append("\r\n");
                rest = rest.substring(n);
            }
            body = chunks + "0\r\n" + (r.nextBoolean() ? "Trailer-A: 1\r\n" : "") + "\r\n";
        } else {
            status = r.nextBoolean() ? "HTTP/1.1 200 OK\r\n" : "HTTP/1.0 404 Not Found\r\n";
            headers.append("Content-Length: ").append(content.length()).append("\r\n");
            body = content.toString();
        }
        headers.append("Date: Sun, 06 Dec 2026 12:00:00 GMT\r\n");
        if (keepAlive) {
            headers.append("Connection: keep-alive\r\n");
        }
        headers.append("\r\n");
        String app = status + headers + body;
        String markedHeaders = headers.toString().replace("Connection: keep-alive", "Connection: close     ");
        return new Sample(app, status + CLOSE + markedHeaders + body, fin);
    }

    @RepeatedTest(300)
    void everySplitAndEveryPartialWriteGivesTheClientTheAppsBytesWithOneCloseLine() {
        long seed = new Random().nextLong();
        Random r = new Random(seed);
        // what may come before: an interim response, or the rest of a response begun earlier
        String before = switch (r.nextInt(3)) {
            case 0 -> "";
            case 1 -> "HTTP/1.1 100 Continue\r\n\r\n";
            default -> "tail of an earlier body";
        };
        Sample marked = randomResponse(r);
        String after = r.nextBoolean() ? "" : randomResponse(r).app(); // pipelined: after our close, untouched
        byte[] app = b(before + marked.app() + after);
        int headerEnd = before.length() + marked.app().indexOf("\r\n\r\n") + 4;

        Connection c = new Connection();
        List<Integer> writes = new ArrayList<>();
        int at = 0;
        // the first write holds whatever precedes the marked response, the next begins with its header block
        if (!before.isEmpty()) {
            at += writeFully(c, app, 0, before.length(), r, writes);
        }
        at += writeFully(c, app, at, headerEnd - at + r.nextInt(Math.min(50, app.length - headerEnd + 1)), r, writes);
        while (c.fins == 0 && (at < app.length || c.editor.hasPending())) {
            int size = Math.max(0, Math.min(app.length - at, r.nextInt(4) == 0 ? r.nextInt(3) : 1 + r.nextInt(9000)));
            at += writeFully(c, app, at, size, r, writes);
        }
        // A pipelined response after ours never reaches the client: the write stops at our
        // response's end, the FIN follows, and the app's next write fails as on any closed socket.
        String expected = before + marked.marked();
        assertThat(c.text()).as("seed %d, writes %s", seed, writes).isEqualTo(expected);
        assertThat(c.fins).as("seed %d", seed).isEqualTo(1);
        assertThat(c.finAtAppOffset).as("seed %d", seed).isEqualTo(before.length() + marked.app().length());
    }

    /** Offers app[from, from+size) until all of it has left, the kernel taking random parts. */
    private static int writeFully(Connection c, byte[] app, int from, int size, Random r, List<Integer> writes) {
        int done = 0;
        do {
            if (c.fins > 0) {
                return done; // the socket is half-closed: the app's write would fail
            }
            int take = r.nextInt(3) == 0 ? r.nextInt(40) : Integer.MAX_VALUE;
            int n = c.write(app, from + done, size - done, take, ResponseStream.ALWAYS);
            writes.add(n);
            done += n;
        } while (done < size);
        return done;
    }
}
