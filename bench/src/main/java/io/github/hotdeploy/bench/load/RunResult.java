package io.github.hotdeploy.bench.load;

/**
 * What a run produced, before any interpretation.
 *
 * @param elapsedNanos from the start until the last request ended
 * @param stopReason   which bound ended the run, in words
 */
record RunResult(LoadOptions options, RunClock clock, long elapsedNanos, String stopReason,
                 RequestLog log, ErrorSamples samples) {
}
