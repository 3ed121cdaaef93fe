package io.github.hotdeploy.bench.load;

/** A moment worth showing on a plot, e.g. "1764099000123 SIGHUP 2", from a restart driver. */
record Mark(long epochMs, String label) {
}
