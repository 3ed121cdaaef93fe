package io.github.hotdeploy.bench.restart;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples the CPU time of a generation that has been told to stop, until it is gone: the whole
 * JVM, and apart from it the thread that runs the agent's drain (the JVM names the thread that
 * handles a signal "SIGTERM handler", "SIGUSR1 handler"...; the drain runs in the first stop
 * signal's, then the hand-over to the JVM's shutdown, whose hooks run in threads of their own).
 *
 * <p>The whole JVM from TERM to exit is not the drain's cost: the old generation still serves
 * the requests in flight, the JIT compiles, and the app's shutdown hooks run. The drain thread's
 * CPU per second of drain is the drain's own cost; the whole JVM's CPU from TERM to the end of
 * the drain, when nothing but slow requests is left (the in-flight check), is the number the
 * requirement (at most 0.1 s of CPU per idle second) is about.
 *
 * <p>The last sample before the JVM exits is at most one period old, so CPU is under-counted by
 * at most one period's worth.
 */
final class DrainMeter {

    private static final long PERIOD_MS = 20;
    static final java.util.regex.Pattern DRAIN_THREAD = java.util.regex.Pattern.compile("SIG[A-Z0-9]+ handler");

    /** One sample: when, the whole JVM's CPU ms, the drain thread's CPU ms (-1 not seen yet). */
    private record Sample(long epochMs, double processMs, double threadMs) {
    }

    private final long pid;
    private final long fromMs;
    private final Thread thread;
    private final List<Sample> samples = new ArrayList<>();
    private volatile long drainDoneMs = -1;
    private Path drainThread;

    private DrainMeter(long pid, long fromMs) {
        this.pid = pid;
        this.fromMs = fromMs;
        double first = ProcStat.cpuMs(pid);
        if (first >= 0) {
            samples.add(new Sample(System.currentTimeMillis(), first, -1));
        }
        this.thread = new Thread(this::sample, "drain-" + pid);
        thread.setDaemon(true);
        thread.start();
    }

    static DrainMeter start(long pid, long fromMs) {
        return new DrainMeter(pid, fromMs);
    }

    private void sample() {
        double threadMs = -1;
        while (true) {
            double now = ProcStat.cpuMs(pid);
            if (now < 0) {
                return;
            }
            double t = drainThreadCpuMs();
            threadMs = t >= 0 ? t : threadMs; // the thread ends before the JVM does
            synchronized (samples) {
                samples.add(new Sample(System.currentTimeMillis(), now, threadMs));
            }
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private double drainThreadCpuMs() {
        if (drainThread == null) {
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
                for (Path task : tasks) {
                    String stat = Files.readString(task.resolve("stat"));
                    if (DRAIN_THREAD.matcher(ProcStat.nameOf(stat)).matches()) {
                        drainThread = task;
                        return ProcStat.cpuMsOf(stat);
                    }
                }
            } catch (IOException | RuntimeException goneOrNotYet) {
                // a thread or the JVM ended meanwhile
            }
            return -1;
        }
        try {
            return ProcStat.cpuMsOf(Files.readString(drainThread.resolve("stat")));
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
    }

    long fromMs() {
        return fromMs;
    }

    long pid() {
        return pid;
    }

    /** When the agent said the drain was over ("drain (pid N): done in" or "timeout after"). */
    void drainDone(long epochMs) {
        drainDoneMs = epochMs;
    }

    /** What was measured; call once the process is gone. */
    Cost cost() throws InterruptedException {
        thread.join(2000);
        synchronized (samples) {
            if (samples.isEmpty()) {
                return Cost.UNKNOWN;
            }
            Sample first = samples.get(0);
            Sample last = samples.get(samples.size() - 1);
            long done = drainDoneMs;
            double untilDone = -1;
            double threadMs = last.threadMs();
            if (done >= 0) {
                // The last sample taken before the agent's line was read.
                for (Sample s : samples) {
                    if (s.epochMs() <= done) {
                        untilDone = s.processMs() - first.processMs();
                    }
                }
            }
            return new Cost(last.processMs() - first.processMs(), threadMs, done < 0 ? -1 : done - fromMs, untilDone);
        }
    }

    /**
     * @param processMs      the whole JVM's CPU from TERM to its last sample
     * @param drainThreadMs  the drain thread's CPU, -1 when no such thread was seen
     * @param drainMs        TERM to the agent's end-of-drain line, -1 when there was none
     * @param untilDrainDoneMs the whole JVM's CPU from TERM to the end of the drain, -1 unknown
     */
    record Cost(double processMs, double drainThreadMs, long drainMs, double untilDrainDoneMs) {
        static final Cost UNKNOWN = new Cost(-1, -1, -1, -1);

        /** CPU ms per second of drain, or -1 when unknown or too short to mean anything. */
        static double perSecond(double cpuMs, long ms) {
            return cpuMs < 0 || ms < 100 ? -1 : cpuMs * 1000.0 / ms;
        }
    }
}
