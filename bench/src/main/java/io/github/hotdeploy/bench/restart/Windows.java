package io.github.hotdeploy.bench.restart;

import java.util.ArrayList;
import java.util.List;

/**
 * The restart windows of a run: from the signal to the old generation gone (or the new one
 * ready, whichever is later), plus a margin for requests that started just before the end and
 * are still exposed to it. Everything else after the warm-up is steady state.
 */
final class Windows {

    record Window(long fromMs, long toMs) {
        boolean contains(long epochMs) {
            return epochMs >= fromMs && epochMs < toMs;
        }
    }

    private final List<Window> windows;
    private final long steadyFromMs;

    private Windows(List<Window> windows, long steadyFromMs) {
        this.windows = windows;
        this.steadyFromMs = steadyFromMs;
    }

    /**
     * @param fallbackMs how long a restart that never finished counts as a window: the report
     *                   must not call its requests steady
     */
    static Windows of(List<Restart> restarts, long marginMs, long fallbackMs, long steadyFromMs) {
        List<Window> list = new ArrayList<>();
        for (Restart r : restarts) {
            list.add(new Window(r.signalMs(), r.windowEnd(marginMs, fallbackMs)));
        }
        return new Windows(List.copyOf(list), steadyFromMs);
    }

    List<Window> list() {
        return windows;
    }

    boolean inRestart(long epochMs) {
        for (Window w : windows) {
            if (w.contains(epochMs)) {
                return true;
            }
        }
        return false;
    }

    boolean steady(long epochMs) {
        return epochMs >= steadyFromMs && !inRestart(epochMs);
    }
}
