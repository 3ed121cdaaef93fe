package io.github.hotdeploy.bench.load;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Runs the workers to the end of the run and collects what they logged. */
final class LoadRun {

    private LoadRun() {
    }

    /**
     * progress: where to print a line a second, or null for silence. stopRequested ends the run
     * early: no new request starts, those in flight finish (each within --timeout-ms).
     */
    static RunResult execute(LoadOptions options, PrintStream progress, AtomicBoolean stopRequested)
            throws InterruptedException {
        AtomicLong budget = new AtomicLong(options.requests());
        ErrorSamples samples = new ErrorSamples();
        LongAdder requests = new LongAdder();
        LongAdder failures = new LongAdder();
        RunClock clock = RunClock.startingNow(options.durationMs());
        List<Worker> workers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        Workload workload = options.workload();
        for (int i = 0; i < options.connections(); i++) {
            Worker worker = new Worker(i, options, workload, clock, budget, stopRequested, samples, requests, failures);
            workers.add(worker);
            threads.add(new Thread(worker, "load-worker-" + i));
        }
        threads.forEach(Thread::start);
        Thread ticker = progress == null ? null : startTicker(progress, clock, requests, failures);
        try {
            for (Thread thread : threads) {
                thread.join();
            }
        } finally {
            if (ticker != null) {
                ticker.interrupt();
                ticker.join();
            }
        }
        long elapsed = System.nanoTime() - clock.startNanos();
        List<RequestLog> logs = workers.stream().map(Worker::log).toList();
        String stopReason = stopRequested.get() ? "stopped early by a signal"
                : budget.get() > 0 ? "duration of " + Format.decimal(options.durationMs() / 1000.0, 1) + " s elapsed"
                : "request limit of " + options.requests() + " reached";
        return new RunResult(options, workload.kinds(), clock, elapsed, stopReason, RequestLog.concat(logs), samples);
    }

    private static Thread startTicker(PrintStream out, RunClock clock, LongAdder requests, LongAdder failures) {
        Thread ticker = new Thread(() -> {
            long previous = 0;
            try {
                while (true) {
                    TimeUnit.SECONDS.sleep(1);
                    long now = requests.sum();
                    out.printf("[%6.1f s] %d requests (+%d), %d failed%n",
                            (System.nanoTime() - clock.startNanos()) / 1e9, now, now - previous, failures.sum());
                    previous = now;
                }
            } catch (InterruptedException e) {
                // the run is over
            }
        }, "load-progress");
        ticker.setDaemon(true);
        ticker.start();
        return ticker;
    }
}
