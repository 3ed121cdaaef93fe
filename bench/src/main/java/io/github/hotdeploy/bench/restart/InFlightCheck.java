package io.github.hotdeploy.bench.restart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A request in flight when its generation is told to stop must still be answered. No other load:
 * the old generation's drain is idle apart from that one request, which also makes its CPU use
 * during the drain the "CPU per idle second" number.
 */
final class InFlightCheck {

    /** The test apps and the demo app cap /sleep at 60 s. */
    static final long MAX_SLEEP_MS = 55_000;

    private InFlightCheck() {
    }

    static InFlightResult run(StarterHandover h, String jdk, String server, int port, int sleepMs, Path dir)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        try (h) {
            long started = System.currentTimeMillis();
            if (!h.start()) {
                return new InFlightResult(jdk, server, 0, "", "the first generation never served", -1, -1, -1, -1, false, -1, -1);
            }
            // The TERM comes once the new generation is ready: the request must still be sleeping
            // then. A server that took long to start (Spring Boot, a distribution, a busy machine)
            // sleeps twice its first start-up if that is longer (the apps allow up to 60 s).
            int sleep = (int) Math.max(sleepMs, Math.min(MAX_SLEEP_MS, 2 * (System.currentTimeMillis() - started)));
            AtomicReference<Probe.Answer> answer = new AtomicReference<>();
            Thread request = new Thread(() -> answer.set(Probe.get(port, "/sleep?ms=" + sleep, sleep + 60_000)), "in-flight");
            request.start();
            // Long enough for the running generation to accept it and start sleeping, short
            // enough that its TERM comes while it sleeps.
            Thread.sleep(300);
            Restart r = h.restart(1, (ms, label) -> { });
            request.join(sleep + 70_000L);
            Probe.Answer a = answer.get();
            if (a == null) {
                return new InFlightResult(jdk, server, 0, "", "no answer at all", -1, -1, r.termMs(), r.oldGoneMs(), false, -1, -1);
            }
            boolean during = r.termMs() > a.startMs() && r.termMs() < a.endMs();
            return new InFlightResult(jdk, server, a.status(), a.body(), a.error(), a.startMs(), a.endMs(), r.termMs(),
                    r.oldGoneMs(), during, r.drainCpuMs(), r.drainMs(), r.drain());
        }
    }
}
