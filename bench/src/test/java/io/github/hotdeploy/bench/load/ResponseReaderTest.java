package io.github.hotdeploy.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseReaderTest {

    private static ResponseReader reader(String bytes) {
        return new ResponseReader(new ByteArrayInputStream(bytes.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void readsConsecutiveResponsesDelimitedByContentLength() throws IOException {
        ResponseReader reader = reader("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
                + "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n");

        assertThat(reader.read()).isEqualTo(new Response(200, true));
        assertThat(reader.read()).isEqualTo(new Response(503, true));
    }

    @Test
    void skipsChunkedBodiesWithExtensionsAndTrailers() throws IOException {
        ResponseReader reader = reader("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=x\r\nhello\r\n1a\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nTrailer: t\r\n\r\n"
                + "HTTP/1.1 204 No Content\r\n\r\n");

        assertThat(reader.read()).isEqualTo(new Response(200, true));
        assertThat(reader.read()).isEqualTo(new Response(204, true));
    }

    @Test
    void connectionCloseOrHttp10MakeTheConnectionSingleUse() throws IOException {
        assertThat(reader("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").read().reusable())
                .isFalse();
        assertThat(reader("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").read().reusable()).isFalse();
        assertThat(reader("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n").read().reusable())
                .isTrue();
    }

    @Test
    void aBodyWithoutLengthRunsToTheEndOfTheConnection() throws IOException {
        Response response = reader("HTTP/1.1 200 OK\r\n\r\nall of this is body").read();

        assertThat(response).isEqualTo(new Response(200, false));
    }

    @Test
    void interimResponsesAreSkipped() throws IOException {
        Response response = reader("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").read();

        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void endOfStreamBeforeAnyByteIsTellable() {
        assertThatThrownBy(() -> reader("").read())
                .isInstanceOfSatisfying(ResponseEofException.class, e -> assertThat(e.beforeAnyByte()).isTrue());
    }

    @Test
    void endOfStreamInsideAResponseIsPremature() {
        assertThatThrownBy(() -> reader("HTTP/1.1 200 OK\r\nContent-Le").read())
                .isInstanceOfSatisfying(ResponseEofException.class, e -> assertThat(e.beforeAnyByte()).isFalse());
        assertThatThrownBy(() -> reader("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort").read())
                .isInstanceOfSatisfying(ResponseEofException.class, e -> assertThat(e.beforeAnyByte()).isFalse())
                .hasMessageContaining("5 of 10 body bytes missing");
        assertThatThrownBy(() -> reader("H").read())
                .isInstanceOfSatisfying(ResponseEofException.class, e -> assertThat(e.beforeAnyByte()).isFalse());
        // Cut after the first chunk, as seen with WireMock on Jetty 11.
        assertThatThrownBy(() -> reader("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n").read())
                .isInstanceOfSatisfying(ResponseEofException.class, e -> assertThat(e.beforeAnyByte()).isFalse())
                .hasMessageContaining("in the middle of a chunk size line");
    }

    @Test
    void checkedBodiesMustMatchByteForByteWhateverTheFraming() throws IOException {
        byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        assertThat(reader("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello").read(hello).bodyMismatch()).isNull();
        assertThat(reader("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhe\r\n3\r\nllo\r\n0\r\n\r\n")
                .read(hello).bodyMismatch()).isNull();
        assertThat(reader("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhellO").read(hello).bodyMismatch())
                .isEqualTo("body differs at byte 4 of 5 (got 'O')");
        assertThat(reader("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nhello!").read(hello).bodyMismatch())
                .isEqualTo("body longer than the 5 bytes expected");
        // A body delimited by the close that came early looks complete: only its length tells.
        assertThat(reader("HTTP/1.1 200 OK\r\n\r\nhel").read(hello).bodyMismatch())
                .isEqualTo("body of 3 bytes instead of 5");
        // Only 2xx bodies are checked: a 503's body is its own business.
        assertThat(reader("HTTP/1.1 503 X\r\nContent-Length: 4\r\n\r\nbusy").read(hello).bodyMismatch()).isNull();
    }

    @Test
    void garbageIsAProtocolError() {
        assertThatThrownBy(() -> reader("SSH-2.0-OpenSSH_9.2\r\n").read())
                .isInstanceOf(MalformedResponseException.class).hasMessageContaining("SSH-2.0");
        assertThatThrownBy(() -> reader("HTTP/1.1 2xx OK\r\n\r\n").read())
                .isInstanceOf(MalformedResponseException.class);
        assertThatThrownBy(() -> reader("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n").read())
                .isInstanceOf(MalformedResponseException.class);
        assertThatThrownBy(() -> reader("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n").read())
                .isInstanceOf(MalformedResponseException.class);
    }

    @Test
    void statusLineWithoutReasonIsAccepted() throws IOException {
        assertThat(ResponseReader.parseStatusLine("HTTP/1.1 404").status).isEqualTo(404);
        assertThat(ResponseReader.parseStatusLine("HTTP/1.1 404 ").status).isEqualTo(404);
    }
}
