package io.github.hotdeploy.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRankPicksAMeasuredValue() {
        long[] sorted = LongStream.rangeClosed(1, 100).toArray();

        assertThat(Percentiles.nearestRank(sorted, 50)).isEqualTo(50);
        assertThat(Percentiles.nearestRank(sorted, 99)).isEqualTo(99);
        assertThat(Percentiles.nearestRank(sorted, 99.5)).isEqualTo(100);
        assertThat(Percentiles.nearestRank(sorted, 100)).isEqualTo(100);
        assertThat(Percentiles.nearestRank(sorted, 0.1)).isEqualTo(1);
    }

    @Test
    void withFewValuesTheHighPercentilesAreTheMaximum() {
        long[] sorted = {10, 20, 30};

        assertThat(Percentiles.nearestRank(sorted, 50)).isEqualTo(20);
        assertThat(Percentiles.nearestRank(sorted, 90)).isEqualTo(30);
        assertThat(Percentiles.nearestRank(new long[] {7}, 50)).isEqualTo(7);
    }

    @Test
    void ofSortsARangeWithoutTouchingTheInput() {
        long[] values = {999, 5, 3, 9, 1, 7, 999};

        Percentiles p = Percentiles.of(values, 1, 6);

        assertThat(p).isEqualTo(new Percentiles(5, 5, 9, 9, 9));
        assertThat(values).containsExactly(999, 5, 3, 9, 1, 7, 999);
    }

    @Test
    void emptyRangeHasNoPercentiles() {
        assertThat(Percentiles.of(new long[] {1, 2}, 1, 1)).isEqualTo(Percentiles.NONE);
        assertThatThrownBy(() -> Percentiles.nearestRank(new long[0], 50)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Percentiles.nearestRank(new long[] {1}, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
