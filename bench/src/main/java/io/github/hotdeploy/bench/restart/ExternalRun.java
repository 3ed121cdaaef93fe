package io.github.hotdeploy.bench.restart;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * One external client's run across a scenario: wrk runs once until SIGINT (it then prints its
 * summary); h2load runs slice after slice of {@link ExternalClient#H2LOAD_SLICE_SECONDS} until
 * stopped, each slice's summary in the same log (ExternalClient#parse adds them up). A slice opens
 * new connections throughout; between two slices there are a few milliseconds without load.
 */
final class ExternalRun {

    private final ExternalClient client;
    private final List<String> command;
    private final Path log;
    private volatile boolean stopping;
    private volatile Child current;
    private Thread slices;

    ExternalRun(ExternalClient client, List<String> command, Path log) {
        this.client = client;
        this.command = command;
        this.log = log;
    }

    void start() throws IOException {
        if (!client.http2()) {
            current = Child.start(client.name(), command, log, null);
            return;
        }
        current = Child.start(client.name(), command, log, null);
        slices = new Thread(() -> {
            try {
                while (!stopping) {
                    current.awaitExit(Long.MAX_VALUE);
                    current.awaitOutput(5_000);
                    if (!stopping) {
                        current = Child.start(client.name(), command, log, null);
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the run is being stopped, or the client cannot start again: liveness says so
            }
        }, client.name() + "-slices");
        slices.setDaemon(true);
        slices.start();
    }

    /** Whether load is still being sent (for an h2load between slices: whether more will come). */
    BooleanSupplier liveness() {
        return () -> client.http2() ? slices.isAlive() : current.alive();
    }

    /** Ends the run so that the client prints its summary: INT for wrk; for h2load the end of the current slice. */
    void stop() throws IOException, InterruptedException {
        stopping = true;
        if (client.http2()) {
            // The slice under way ends by itself; the loop starts no other once stopping is set.
            slices.join((ExternalClient.H2LOAD_SLICE_SECONDS + 30) * 1000L);
        } else if (current.alive()) {
            current.signal("INT");
            current.awaitExit(10_000);
        }
        Child last = current;
        last.stop(5_000);
        last.awaitOutput(5_000);
    }
}
