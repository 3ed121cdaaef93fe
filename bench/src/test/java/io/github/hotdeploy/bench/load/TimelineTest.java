package io.github.hotdeploy.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineTest {

    private static final long MS = 1_000_000;

    @Test
    void bucketsByStartTimeIncludingEmptyOnesAndMarks() {
        RunClock clock = new RunClock(0, 1_000_000, 350 * MS);
        RequestLog log = new RequestLog();
        log.add(10 * MS, 2 * MS, Outcome.OK, 200, false, 0, 0, 0);
        log.add(20 * MS, 4 * MS, Outcome.OK, 200, true, 1, 3, 0);
        log.add(30 * MS, 1 * MS, Outcome.RESET, 0, false, 0, 1, 0);
        log.add(250 * MS, 9 * MS, Outcome.NON_2XX, 503, false, 1, 0, 0);

        List<Timeline.Bucket> buckets = Timeline.of(log, clock, 300 * MS,
                List.of(new Mark(1_000_150, "SIGHUP 1"), new Mark(999_000, "before the run")));

        assertThat(buckets).hasSize(3);
        Timeline.Bucket first = buckets.get(0);
        assertThat(first.requests()).isEqualTo(3);
        assertThat(first.ok()).isEqualTo(2);
        assertThat(first.failures()).isEqualTo(2); // the reset, and the resent one (ok in the end, a failure all the same)
        assertThat(first.resent()).isEqualTo(1);
        assertThat(first.okLatency()).isEqualTo(new Percentiles(2, 2 * MS, 4 * MS, 4 * MS, 4 * MS));
        assertThat(buckets.get(1).requests()).isZero();
        assertThat(buckets.get(1).okLatency()).isEqualTo(Percentiles.NONE);
        assertThat(buckets.get(1).marks()).containsExactly("SIGHUP 1");
        assertThat(buckets.get(1).epochMs()).isEqualTo(1_000_100);
        assertThat(buckets.get(2).failures()).isEqualTo(1);
    }
}
