package io.github.hotdeploy.integration.support;

import static io.github.hotdeploy.integration.support.Generations.awaitExit;
import static io.github.hotdeploy.integration.support.Generations.awaitServedBy;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotdeploy.testsupport.Http;
import io.github.hotdeploy.testsupport.ManagedProcess;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The drain tests' common scenario: start_server runs an app; a GET /sleep is in flight in the
 * first generation when start_server gets HUP; once that generation says it stopped accepting,
 * the test checks what it is about ({@link WhileDraining}); then the slow request gets its 200
 * from the old generation, which exits, with no warning of the agent in start_server's output.
 */
public final class SlowRequestAcrossAHup {

    /** The moment the drain began: start_server, the old generation and its unanswered request. */
    public record Draining(ManagedProcess starter, int port, long old, long sleepMs, long sentNanos,
            CompletableFuture<Http.Response> answer) {
    }

    /** The test's own checks while the old generation drains. */
    @FunctionalInterface
    public interface WhileDraining {
        /**
         * Returns the next generation's pid where the check found it: start_server must then be
         * left with that one child alone once the old one exited; 0 for no such check.
         */
        long check(Draining draining) throws Exception;
    }

    /** How it ended: the slow request's 200 and start_server's output once the old generation exited. */
    public record Outcome(long old, long sleepMs, Http.Response response, String output) {
    }

    private final int port;
    private final List<String> command;
    private long baseSleepMs = 3000;
    private long capSleepMs = 50_000;
    private boolean exitWhileConnected;

    private SlowRequestAcrossAHup(int port, List<String> command) {
        this.port = port;
        this.command = command;
    }

    /** start_server's {@code command}, listening on 127.0.0.1:{@code port}. */
    public static SlowRequestAcrossAHup of(int port, List<String> command) {
        return new SlowRequestAcrossAHup(port, command);
    }

    /** The sleep: {@link Generations#sleepOutlasting} with these bounds (default 3 s and 50 s). */
    public SlowRequestAcrossAHup sleep(long baseMs, long capMs) {
        baseSleepMs = baseMs;
        capSleepMs = capMs;
        return this;
    }

    /**
     * The old generation must exit while the client still holds its connection (idle after the
     * answer); without this, the client closes it first. Not for servers whose quiet connection
     * the drain cannot tell from one that still owes an answer (no tcp_info).
     */
    public SlowRequestAcrossAHup exitWhileConnected() {
        exitWhileConnected = true;
        return this;
    }

    public Outcome run(WhileDraining whileDraining) throws Exception {
        try (ManagedProcess starter = ManagedProcess.start(command, Map.of())) {
            long started = System.nanoTime();
            long old = awaitServedBy(starter, port);
            // The request is still running when the old generation gets TERM.
            long sleepMs = Generations.sleepOutlasting(started, baseSleepMs, capSleepMs);
            Http.Response response;
            long next;
            try (Http slow = Generations.sleepingIn(old, port, sleepMs)) {
                long sent = System.nanoTime();
                CompletableFuture<Http.Response> answer = slow.receiveLater();

                starter.signal("HUP");
                starter.awaitOutput("drain (pid " + old + "): stopped accepting");
                next = whileDraining.check(new Draining(starter, port, old, sleepMs, sent, answer));

                response = answer.get(ManagedProcess.PATIENCE.toSeconds(), TimeUnit.SECONDS);
                assertThat(response.status()).isEqualTo(200);
                if (exitWhileConnected) {
                    awaitExit(old);
                }
            }
            awaitExit(old);
            if (next != 0) {
                assertThat(starter.children()).containsExactly(next);
            }
            assertThat(starter.linesContaining("start_server-agent: warning")).as(starter.output()).isEmpty();
            return new Outcome(old, sleepMs, response, starter.output());
        }
    }
}
