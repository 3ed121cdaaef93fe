package io.github.hotdeploy.bench.restart;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Everything one run of one server, hand-over, client and front produced.
 *
 * @param mode     our load generator's mode (keepalive, close) or the external client's name
 * @param client   the client as the table shows it ("bench keep-alive", "wrk POST 4096 B", "h2load")
 * @param front    "direct", or the proxy in front of start_server
 * @param proxyLog what that proxy logged; null without one
 */
record ScenarioResult(String id, String server, String jdk, String handover, String mode, String client, String front,
                      int restartsPlanned, List<Restart> restarts, LoadStats all, LoadStats baseline, LoadStats steady,
                      LoadStats windows, ProxyLog proxyLog, String plot, String problem) {

    /** A request failed or resent by the client, or a 5xx or a retried request in the proxy's log. */
    long verdictFailures() {
        return all.failedOrResent() + (proxyLog == null ? 0 : proxyLog.verdictFailures());
    }

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
