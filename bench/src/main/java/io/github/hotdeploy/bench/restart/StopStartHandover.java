package io.github.hotdeploy.bench.restart;

import io.github.hotdeploy.testapps.launch.Launch;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Contrast (a): no superdaemon. TERM the JVM, wait for it to exit, start a new one on the same
 * port: what a plain service manager restart does.
 */
final class StopStartHandover implements Handover {

    private final Launch app;
    private final int port;
    private final Path log;
    private final long timeoutMs;
    private Child current;

    StopStartHandover(Launch app, int port, Path log, long timeoutMs) {
        this.app = app;
        this.port = port;
        this.log = log;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public String name() {
        return "stop-start";
    }

    @Override
    public boolean start() throws IOException, InterruptedException {
        current = Child.start("app", app.command(), app.env(), log, null);
        return Probe.awaitOk(port, timeoutMs, current) >= 0;
    }

    @Override
    public Restart restart(int number, Marks marks) throws IOException, InterruptedException {
        long signalMs = System.currentTimeMillis();
        marks.mark(signalMs, "stop+start " + number);
        Child old = current;
        DrainMeter meter = DrainMeter.start(old.pid(), signalMs);
        old.signal("TERM");
        String problem = "";
        long goneMs = -1;
        if (old.awaitExit(timeoutMs)) {
            goneMs = System.currentTimeMillis();
        } else {
            problem = "old JVM still alive after " + timeoutMs / 1000 + " s; ";
        }
        double cpu = meter.cost().processMs();
        old.stop(5000);
        current = Child.start("app", app.command(), app.env(), log, null);
        long readyMs = Probe.awaitOk(port, timeoutMs, current);
        if (readyMs < 0) {
            problem += "new JVM did not serve";
        }
        return new Restart(number, signalMs, readyMs, signalMs, goneMs, old.pid(), current.pid(), cpu,
                goneMs < 0 ? -1 : goneMs - signalMs, problem.strip());
    }

    @Override
    public void close() {
        if (current != null) {
            current.stop(15_000);
        }
    }
}
