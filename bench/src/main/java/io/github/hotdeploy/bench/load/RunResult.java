package io.github.hotdeploy.bench.load;

import java.util.List;

/**
 * What a run produced, before any interpretation.
 *
 * @param elapsedNanos from the start until the last request ended
 * @param stopReason   which bound ended the run, in words
 * @param kinds        the labels of the workload's request kinds (RequestLog#kind indexes them)
 */
record RunResult(LoadOptions options, List<String> kinds, RunClock clock, long elapsedNanos, String stopReason,
                 RequestLog log, ErrorSamples samples) {
}
