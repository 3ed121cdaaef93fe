package io.github.hotdeploy.bench.restart;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Contrast (b): two JVMs handing over with SO_REUSEPORT. The new one binds while the old one
 * still listens; once it says it listens, the old one gets TERM.
 */
final class ReusePortHandover implements Handover {

    private final List<String> command;
    private final int port;
    private final Path log;
    private final long timeoutMs;
    private Child current;

    ReusePortHandover(List<String> command, int port, Path log, long timeoutMs) {
        this.command = command;
        this.port = port;
        this.log = log;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public String name() {
        return "reuseport";
    }

    @Override
    public boolean start() throws IOException, InterruptedException {
        current = Child.start("reuseport", command, log, null);
        return Probe.awaitOk(port, timeoutMs, current) >= 0;
    }

    @Override
    public Restart restart(int number, Marks marks) throws IOException, InterruptedException {
        long signalMs = System.currentTimeMillis();
        marks.mark(signalMs, "start new " + number);
        Child old = current;
        CountDownLatch listening = new CountDownLatch(1);
        AtomicLong readyAt = new AtomicLong(-1);
        // Polling GET / cannot tell the new JVM from the old one: both answer on the port.
        Child fresh = Child.start("reuseport", command, log, (ms, line) -> {
            if (line.contains("listening on")) {
                readyAt.compareAndSet(-1, ms);
                listening.countDown();
            }
        });
        String problem = "";
        if (!listening.await(timeoutMs, TimeUnit.MILLISECONDS)) {
            fresh.stop(5000);
            return new Restart(number, signalMs, -1, -1, -1, old.pid(), fresh.pid(), -1, -1, "new JVM never listened");
        }
        current = fresh;
        long termMs = System.currentTimeMillis();
        DrainMeter meter = DrainMeter.start(old.pid(), termMs);
        old.signal("TERM");
        long goneMs = -1;
        if (old.awaitExit(timeoutMs)) {
            goneMs = System.currentTimeMillis();
        } else {
            problem = "old JVM still alive after " + timeoutMs / 1000 + " s";
        }
        double cpu = meter.cost().processMs();
        old.stop(5000);
        return new Restart(number, signalMs, readyAt.get(), termMs, goneMs, old.pid(), fresh.pid(), cpu,
                goneMs < 0 ? -1 : goneMs - termMs, problem);
    }

    @Override
    public void close() {
        if (current != null) {
            current.stop(15_000);
        }
    }
}
