package io.github.hotdeploy.bench.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatencyPlotTest {

    private static final String HEADER = "offset_ms,epoch_ms,requests,ok,failures,resent,p50_ms,p99_ms,max_ms,marks";

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    private static String timeline() {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < 100; i++) {
            long epoch = 1_000_000 + i * 100L;
            boolean failing = i == 50;
            boolean empty = i == 60;
            csv.append(i * 100).append(',').append(epoch).append(',')
                    .append(empty ? 0 : 40).append(',').append(empty ? 0 : failing ? 30 : 40).append(',')
                    .append(failing ? 10 : 0).append(",0,")
                    .append(empty ? "" : "1.5").append(',').append(empty ? "" : "9.0").append(',').append(empty ? "" : "20.0")
                    .append(',').append(i == 30 ? "SIGHUP 1" : "").append('\n');
        }
        return csv.toString();
    }

    @Test
    void readsTheTimelineIncludingEmptyBuckets() throws IOException {
        List<LatencyPlot.Bucket> b = LatencyPlot.readTimeline(new BufferedReader(new StringReader(timeline())));
        assertThat(b).hasSize(100);
        assertThat(b.get(50).failures()).isEqualTo(10);
        assertThat(b.get(60).p99()).isEqualTo(-1);
        assertThat(b.get(0).p99()).isEqualTo(9.0);
        assertThatThrownBy(() -> LatencyPlot.readTimeline(new BufferedReader(new StringReader("a,b\n"))))
                .isInstanceOf(IOException.class);
    }

    @Test
    void drawsAPngWithTheFailuresInRed(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("timeline.csv");
        Files.writeString(csv, timeline());
        List<Restart> restarts = List.of(new Restart(1, 1_003_000, 1_004_000, 1_004_000, 1_004_500, 1, 2, -1, -1, ""));
        Windows windows = Windows.of(restarts, 500, 90_000, 0);
        Path png = dir.resolve("latency.png");
        LatencyPlot.draw(csv, windows, restarts, "test", png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isGreaterThan(800);
        boolean red = false;
        boolean window = false;
        for (int x = 0; x < img.getWidth(); x++) {
            for (int y = 0; y < img.getHeight(); y++) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                red |= rgb == 0xd21414;
                window |= rgb == 0xffddaa;
            }
        }
        assertThat(red).as("failed requests drawn").isTrue();
        assertThat(window).as("restart window shaded").isTrue();
    }

    @Test
    void anEmptyRunStillGivesAPicture() {
        BufferedImage img = LatencyPlot.render(List.of(), Windows.of(List.of(), 0, 0, 0), List.of(), "nothing");
        assertThat(img.getHeight()).isPositive();
    }
}
