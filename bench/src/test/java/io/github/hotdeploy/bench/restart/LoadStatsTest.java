package io.github.hotdeploy.bench.restart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadStatsTest {

    @Test
    void countsFailuresByKindAndHttpStatusSeparately() {
        List<RequestRow> rows = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            rows.add(new RequestRow(i, i, "ok", 200));
        }
        rows.add(new RequestRow(200, 5, "non_2xx", 503));
        rows.add(new RequestRow(201, -1, "reset", 0));
        rows.add(new RequestRow(202, -1, "reset", 0));
        rows.add(new RequestRow(203, -1, "connect_refused", 0));
        LoadStats s = LoadStats.of(rows, r -> true);
        assertThat(s.requests()).isEqualTo(104);
        assertThat(s.ok()).isEqualTo(100);
        assertThat(s.non2xx()).isEqualTo(1);
        assertThat(s.socketErrors()).isEqualTo(3);
        assertThat(s.failed()).isEqualTo(4);
        assertThat(s.byKind()).containsEntry("reset", 2L).containsEntry("connect_refused", 1L).containsEntry("http_503", 1L);
        // nearest rank over the 2xx only: the failed requests' latencies do not count
        assertThat(s.p50()).isEqualTo(50);
        assertThat(s.p99()).isEqualTo(99);
        assertThat(s.p999()).isEqualTo(100);
        assertThat(s.max()).isEqualTo(100);
    }

    @Test
    void subsetAndEmpty() {
        List<RequestRow> rows = List.of(new RequestRow(1, 3, "ok", 200), new RequestRow(2, 7, "ok", 204));
        LoadStats later = LoadStats.of(rows, r -> r.startEpochMs() >= 2);
        assertThat(later.requests()).isEqualTo(1);
        assertThat(later.p99()).isEqualTo(7);
        LoadStats none = LoadStats.of(rows, r -> false);
        assertThat(none.requests()).isZero();
        assertThat(none.p50()).isEqualTo(-1);
        assertThat(none.max()).isEqualTo(-1);
    }

    @Test
    void nearestRankIsAlwaysAMeasuredValue() {
        double[] v = {1, 2, 3};
        assertThat(LoadStats.rank(v, 0.5)).isEqualTo(2);
        assertThat(LoadStats.rank(v, 0.99)).isEqualTo(3);
        assertThat(LoadStats.rank(v, 0.0)).isEqualTo(1);
        assertThat(LoadStats.rank(new double[0], 0.5)).isEqualTo(-1);
    }
}
