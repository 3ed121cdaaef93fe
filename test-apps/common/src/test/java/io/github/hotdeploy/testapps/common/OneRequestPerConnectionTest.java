package io.github.hotdeploy.testapps.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OneRequestPerConnectionTest {

    private static String serve(String request) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OneRequestPerConnection.serve("t", new ByteArrayInputStream(request.getBytes(StandardCharsets.ISO_8859_1)), out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void answersRootWithPidAndAContentLength() throws Exception {
        String reply = serve("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        String body = "server=t pid=" + ProcessHandle.current().pid() + " generation=";
        assertThat(reply).startsWith("HTTP/1.1 200 OK\r\n").contains("Connection: close\r\n").contains("\r\n\r\n" + body);
        int length = Integer.parseInt(reply.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
        assertThat(reply.substring(reply.indexOf("\r\n\r\n") + 4)).hasSize(length);
    }

    @Test
    void sleepsForTheRequestedTime() throws Exception {
        long start = System.nanoTime();
        String reply = serve("GET /sleep?ms=50 HTTP/1.0\r\n\r\n");
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(50);
        assertThat(reply).endsWith(" slept=50\n");
    }

    @Test
    void unknownPathsAre404AndTruncatedHeadsGetNoAnswer() throws Exception {
        assertThat(serve("GET /nope HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 404 Not Found\r\n");
        assertThat(serve("GET / HTTP/1.1\r\nHost: x\r\n")).isEmpty();
    }

    @Test
    void sleepParameterIsBoundedAndForgiving() {
        assertThat(Replies.sleepMillis(null)).isZero();
        assertThat(Replies.sleepMillis("x=1&ms=20")).isEqualTo(20);
        assertThat(Replies.sleepMillis("ms=-5")).isZero();
        assertThat(Replies.sleepMillis("ms=abc")).isZero();
        assertThat(Replies.sleepMillis("ms=99999999")).isEqualTo(Replies.MAX_SLEEP_MS);
    }

    @Test
    void bytesComeWithALengthOrInChunksAndEchoCountsTheBody() throws Exception {
        String expected = new String(Bodies.pattern(3, 100), StandardCharsets.US_ASCII);
        String plain = serve("GET /bytes?size=100&seed=3 HTTP/1.1\r\n\r\n");
        assertThat(plain).contains("Content-Length: 100\r\n").endsWith("\r\n\r\n" + expected);
        String chunked = serve("GET /bytes?size=100&seed=3&chunked=1 HTTP/1.1\r\n\r\n");
        assertThat(chunked).contains("Transfer-Encoding: chunked\r\n")
                .endsWith("\r\n\r\n32\r\n" + expected.substring(0, 50) + "\r\n32\r\n" + expected.substring(50) + "\r\n0\r\n\r\n");
        assertThat(serve("POST /echo HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"))
                .startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nreceived=5 crc32=3610a686\n");
        assertThat(serve("POST /echo HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 411 ");
        assertThat(serve("POST /echo HTTP/1.1\r\nContent-Length: 5\r\n\r\nhel")).isEmpty();
    }
}
