package io.github.hotdeploy.testapps.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BodiesTest {

    @Test
    void aShorterBodyIsAPrefixOfALongerOneOfTheSameSeed() {
        byte[] longer = Bodies.pattern(3, 1000);
        assertThat(Bodies.pattern(3, 10)).isEqualTo(Arrays.copyOf(longer, 10));
    }

    @Test
    void seedsAndShiftsGiveDifferentBytes() {
        byte[] a = Bodies.pattern(1, 4096);
        assertThat(Bodies.pattern(2, 4096)).isNotEqualTo(a);
        // A body whose every byte moved by one (a lost byte) no longer matches anywhere long.
        assertThat(Arrays.copyOfRange(a, 1, 4096)).isNotEqualTo(Arrays.copyOfRange(a, 0, 4095));
        // The same 8 KiB chunk sent twice does not look like the right body.
        byte[] big = Bodies.pattern(1, 16384);
        assertThat(Arrays.copyOfRange(big, 8192, 16384)).isNotEqualTo(Arrays.copyOfRange(big, 0, 8192));
    }

    @Test
    void thePatternIsPrintableAscii() {
        String text = new String(Bodies.pattern(7, 10_000), StandardCharsets.US_ASCII);
        assertThat(text).matches("[A-Za-z0-9_-]*");
        // All 64 symbols are used: six bits a byte.
        assertThat(text.chars().distinct().count()).isEqualTo(64);
    }

    @Test
    void echoNamesLengthAndCrc() {
        byte[] body = "hello".getBytes(StandardCharsets.US_ASCII);
        assertThat(Bodies.echo(body, body.length)).isEqualTo("received=5 crc32=3610a686\n");
        assertThat(Bodies.echo(body, 0)).isEqualTo("received=0 crc32=00000000\n");
    }

    @Test
    void theQueryIsParsedLikeSleepsMalformedNumbersCountAsAbsent() {
        assertThat(Bodies.Query.parse("size=10&seed=3&chunked=1")).isEqualTo(new Bodies.Query(10, 3, true));
        assertThat(Bodies.Query.parse(null)).isEqualTo(new Bodies.Query(0, 0, false));
        assertThat(Bodies.Query.parse("size=x&seed=&other=1")).isEqualTo(new Bodies.Query(0, 0, false));
        assertThat(Bodies.Query.parse("size=-5").size()).isZero();
        assertThat(Bodies.Query.parse("size=999999999999").size()).isEqualTo(Bodies.MAX_SIZE);
    }

    @Test
    void chunkedBodiesComeInAtLeastTwoPiecesOfAtMost8KiB() {
        assertThat(Bodies.pieceSize(0)).isEqualTo(1);
        assertThat(Bodies.pieceSize(1)).isEqualTo(1);
        assertThat(Bodies.pieceSize(100)).isEqualTo(50);
        assertThat(Bodies.pieceSize(110_000)).isEqualTo(8192);
    }
}
