package io.github.hotdeploy.bench.restart;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Everything one run of one server, hand-over and load mode produced. */
record ScenarioResult(String id, String server, String jdk, String handover, String mode, int restartsPlanned,
                      List<Restart> restarts, LoadStats all, LoadStats baseline, LoadStats steady, LoadStats windows,
                      String plot, String problem) {

    long restartsDone() {
        return restarts.stream().filter(r -> r.readyMs() >= 0 && r.oldGoneMs() >= 0).count();
    }

    double medianToReadyMs() {
        return median(restarts, r -> r.toReadyMs());
    }

    double medianToOldGoneMs() {
        return median(restarts, r -> r.toOldGoneMs());
    }

    double medianDrainCpuMsPerSecond() {
        return median(restarts, Restart::drainCpuMsPerSecond);
    }

    double medianDrainThreadCpuMsPerSecond() {
        return median(restarts, Restart::drainThreadCpuMsPerSecond);
    }

    /** Median of the known (non-negative) values; -1 if there are none. Lower median for an even count. */
    static double median(List<Restart> restarts, ToDoubleFunction<Restart> f) {
        double[] v = restarts.stream().mapToDouble(f).filter(x -> x >= 0).sorted().toArray();
        if (v.length == 0) {
            return -1;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static double max(List<Restart> restarts, ToDoubleFunction<Restart> f) {
        return Arrays.stream(restarts.stream().mapToDouble(f).toArray()).max().orElse(-1);
    }
}
