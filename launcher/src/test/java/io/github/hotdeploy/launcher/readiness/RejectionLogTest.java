package io.github.hotdeploy.launcher.readiness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RejectionLogTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void theFirstFewOfEveryTenSecondsThenOneCount() {
        RejectionLog rejections = new RejectionLog(500);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            lines.addAll(rejections.rejected(900 + i % 2, 1000 * SECOND + i * 1_000_000L)); // 2 s of flood
        }
        assertThat(lines).containsExactly("ignoring notification from pid 900, not of generation 500",
                "ignoring notification from pid 901, not of generation 500",
                "ignoring notification from pid 900, not of generation 500");
        lines.addAll(rejections.rejected(77, 1012 * SECOND));
        assertThat(lines).endsWith("ignored 1997 more notifications from processes outside generation 500",
                "ignoring notification from pid 77, not of generation 500");
        assertThat(rejections.summary()).isEmpty();
    }

    @Test
    void whatIsLeftIsCountedWhenTheListenerStops() {
        RejectionLog rejections = new RejectionLog(500);
        for (int i = 0; i < 4; i++) {
            rejections.rejected(900, 1000 * SECOND);
        }
        assertThat(rejections.summary()).contains("ignored 1 more notification from processes outside generation 500");
        assertThat(rejections.summary()).isEmpty();
    }
}
