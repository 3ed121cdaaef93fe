package io.github.hotdeploy.launcher.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LineBufferTest {

    private static List<String> drain(LineBuffer buffer) throws InterruptedException {
        List<String> out = new ArrayList<>();
        while (!buffer.awaitEmpty(0)) {
            String line = new String(buffer.next(), StandardCharsets.US_ASCII);
            out.add(line.substring(0, line.length() - 1));
            buffer.written();
        }
        return out;
    }

    private static byte[] line(String text) {
        return (text + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void linesGoOutInOrderAndOfferNeverWaits() throws Exception {
        LineBuffer buffer = new LineBuffer(100);
        assertThat(buffer.offer(line("one"))).isTrue();
        assertThat(buffer.offer(line("two"))).isTrue();
        assertThat(buffer.next()).as("stays queued until written").isEqualTo(line("one"));
        assertThat(buffer.next()).isEqualTo(line("one"));
        assertThat(drain(buffer)).containsExactly("one", "two");
    }

    @Test
    void whatDoesNotFitIsDroppedAndCountedWhereTheGapIs() throws Exception {
        LineBuffer buffer = new LineBuffer(100);
        assertThat(buffer.offer(line("a".repeat(79)))).isTrue(); // 80 bytes with its newline
        assertThat(buffer.offer(line("b".repeat(30)))).isFalse();
        assertThat(buffer.offer(line("c".repeat(30)))).isFalse();
        assertThat(buffer.droppedTotal()).isEqualTo(2);
        buffer.next();
        buffer.written();
        assertThat(buffer.offer(line("d"))).isTrue();
        assertThat(drain(buffer)).containsExactly(LineBuffer.notice(2), "d");
        assertThat(LineBuffer.notice(2)).isEqualTo("start_server: 2 log lines dropped: the log was not taking them");
    }

    @Test
    void theCountComesOutAtTheEndTooWhenNothingFollows() throws Exception {
        LineBuffer buffer = new LineBuffer(70);
        buffer.offer(line("x".repeat(69)));
        buffer.offer(line("lost"));
        buffer.next();
        buffer.written();
        assertThat(buffer.awaitEmpty(0)).isFalse();
        assertThat(drain(buffer)).containsExactly(LineBuffer.notice(1));
    }

    @Test
    void awaitEmptyGivesUpAtItsDeadline() throws Exception {
        LineBuffer buffer = new LineBuffer(100);
        buffer.offer(line("never written"));
        long start = System.nanoTime();
        assertThat(buffer.awaitEmpty(TimeUnit.MILLISECONDS.toNanos(50))).isFalse();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
    }
}
