package io.github.hotdeploy.bench.restart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WindowsTest {

    private static Restart restart(int n, long signal, long ready, long gone) {
        return new Restart(n, signal, ready, ready, gone, 1, 2, -1, -1, "");
    }

    @Test
    void aWindowRunsFromTheSignalToTheLaterOfReadyAndGonePlusTheMargin() {
        Windows w = Windows.of(List.of(restart(1, 10_000, 11_500, 12_000), restart(2, 20_000, 21_000, 20_900)),
                500, 90_000, 1_000);
        assertThat(w.list()).containsExactly(new Windows.Window(10_000, 12_500), new Windows.Window(20_000, 21_500));
        assertThat(w.inRestart(9_999)).isFalse();
        assertThat(w.inRestart(10_000)).isTrue();
        assertThat(w.inRestart(12_499)).isTrue();
        assertThat(w.inRestart(12_500)).isFalse();
        assertThat(w.steady(12_500)).isTrue();
        assertThat(w.steady(21_000)).isFalse();
    }

    @Test
    void warmUpIsNotSteady() {
        Windows w = Windows.of(List.of(), 500, 90_000, 1_000);
        assertThat(w.steady(999)).isFalse();
        assertThat(w.steady(1_000)).isTrue();
    }

    @Test
    void anUnfinishedRestartIsNeverCalledSteady() {
        Windows w = Windows.of(List.of(restart(1, 10_000, -1, -1)), 500, 90_000, 0);
        assertThat(w.list()).containsExactly(new Windows.Window(10_000, 100_000));
        assertThat(w.steady(50_000)).isFalse();
    }

    @Test
    void restartTimes() {
        Restart r = new Restart(1, 1_000, 2_200, 2_200, 3_000, 10, 11, 80, 800, "");
        assertThat(r.toReadyMs()).isEqualTo(1_200);
        assertThat(r.toOldGoneMs()).isEqualTo(2_000);
        assertThat(r.drainCpuMsPerSecond()).isEqualTo(100);
        assertThat(new Restart(1, 1_000, -1, -1, -1, 1, 2, -1, -1, "").toReadyMs()).isEqualTo(-1);
        // too short a drain to divide by
        assertThat(new Restart(1, 0, 1, 1, 50, 1, 2, 10, 49, "").drainCpuMsPerSecond()).isEqualTo(-1);
    }
}
