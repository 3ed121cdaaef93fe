package io.github.hotdeploy.bench.restart;

/**
 * Samples the CPU time of a generation that has been told to stop, until it is gone. The last
 * sample before it exits is at most one period old, so the drain's CPU is under-counted by at
 * most one period's worth: tolerable for a number meant to show "close to zero" or "spinning".
 */
final class DrainMeter {

    private static final long PERIOD_MS = 20;

    private final long pid;
    private final long fromMs;
    private final Thread thread;
    private volatile double first = -1;
    private volatile double last = -1;

    private DrainMeter(long pid, long fromMs) {
        this.pid = pid;
        this.fromMs = fromMs;
        this.first = ProcStat.cpuMs(pid);
        this.last = first;
        this.thread = new Thread(this::sample, "drain-" + pid);
        thread.setDaemon(true);
        thread.start();
    }

    static DrainMeter start(long pid, long fromMs) {
        return new DrainMeter(pid, fromMs);
    }

    private void sample() {
        while (true) {
            double now = ProcStat.cpuMs(pid);
            if (now < 0) {
                return;
            }
            last = now;
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    long fromMs() {
        return fromMs;
    }

    /** CPU ms from the first to the last sample; -1 if the process was gone before the first. */
    double cpuMs() throws InterruptedException {
        thread.join(2000);
        return first < 0 ? -1 : last - first;
    }
}
