package io.github.hotdeploy.bench.restart;

import java.util.List;

/** The wrk cross-check of one scenario; {@code wrk} is null when it printed no summary. */
record WrkScenarioResult(String id, String server, String jdk, String handover, List<Restart> restarts, WrkResult wrk,
                         String problem) {

    long restartsDone() {
        return restarts.stream().filter(r -> r.readyMs() >= 0 && r.oldGoneMs() >= 0).count();
    }
}
