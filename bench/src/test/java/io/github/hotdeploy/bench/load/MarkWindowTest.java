package io.github.hotdeploy.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MarkWindowTest {

    private static final long MS = 1_000_000;

    @Test
    void eachMarkCoversTheRequestsStartedUntilTheNextOrTheEnd() {
        RunClock clock = new RunClock(0, 5_000, 1_000 * MS);
        RequestLog log = new RequestLog();
        log.add(50 * MS, 1 * MS, Outcome.OK, 200, false, 0, 0, 0);
        log.add(200 * MS, 3 * MS, Outcome.OK, 200, true, 0, 1, 0);
        log.add(250 * MS, 9 * MS, Outcome.RESET, 0, false, 1, 4, 0);
        log.add(600 * MS, 2 * MS, Outcome.OK, 200, false, 1, 0, 0);

        List<MarkWindow> windows = MarkWindow.of(
                List.of(new Mark(5_200, "SIGHUP 1"), new Mark(5_500, "SIGHUP 2")), log, clock, 900 * MS);

        assertThat(windows).hasSize(2);
        MarkWindow first = windows.get(0);
        assertThat(first.requests()).isEqualTo(2);
        assertThat(first.failed()).isEqualTo(1);
        assertThat(first.resent()).isEqualTo(1);
        assertThat(first.okLatency().max()).isEqualTo(3 * MS);
        MarkWindow second = windows.get(1);
        assertThat(second.requests()).isEqualTo(1);
        assertThat(second.failed()).isZero();
    }
}
