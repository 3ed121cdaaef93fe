package io.github.hotdeploy.integration;

import static io.github.hotdeploy.integration.support.Generations.awaitAnsweredByOtherThan;
import static io.github.hotdeploy.integration.support.Generations.awaitExit;
import static io.github.hotdeploy.integration.support.Generations.awaitServedBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.hotdeploy.testsupport.FreePorts;
import io.github.hotdeploy.testsupport.ManagedProcess;
import io.github.hotdeploy.testsupport.Repo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A WebSocket opened before a restart (Undertow's, the JDK's client) that talks through the drain
 * keeps working, answered by the old generation, until the drain timeout, while new WebSockets
 * reach the new generation; then the app's shutdown ends it. Its 101 went out before the drain's
 * write path was hooked: the drain recognises it by its frames.
 */
class WebSocketDrainIT {

    private static final int DRAIN_TIMEOUT_SECONDS = 8;

    /** What one WebSocket received: text messages, then how it ended. */
    private static final class Received implements WebSocket.Listener {
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final CompletableFuture<String> end = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                texts.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            end.complete("close " + statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            end.complete("error " + error);
        }
    }

    private static WebSocket open(HttpClient client, int port, Received listener) {
        return client.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), listener)
                .orTimeout(ManagedProcess.PATIENCE.toSeconds(), TimeUnit.SECONDS).join();
    }

    /**
     * Sends {@code text} and returns the pid that answered it. Stops waiting as soon as the
     * WebSocket ends: the talker's last question is never answered, and waiting out the whole
     * patience for it cost this test 30 s.
     */
    private static long ask(WebSocket ws, Received listener, String text) throws InterruptedException {
        ws.sendText(text, true).orTimeout(30, TimeUnit.SECONDS).join();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String answer = null;
        while (answer == null && !listener.end.isDone() && System.nanoTime() < deadline) {
            answer = listener.texts.poll(100, TimeUnit.MILLISECONDS);
        }
        if (answer == null) {
            answer = listener.texts.poll(); // an answer that came just before the end
        }
        assertThat(answer).as("the answer to " + text).isNotNull().endsWith(" " + text);
        return Long.parseLong(answer.substring(0, answer.indexOf(' ')));
    }

    @Test
    void aWebSocketOpenBeforeTheRestartRunsUntilTheDrainTimeout() throws Exception {
        int port = FreePorts.tcp();
        HttpClient client = HttpClient.newHttpClient();
        try (ManagedProcess starter = ManagedProcess.start(List.of(Repo.startServer().toString(),
                "--port=127.0.0.1:" + port, "--drain-timeout=" + DRAIN_TIMEOUT_SECONDS, "--",
                Repo.java17(), "-jar", Repo.testApp("undertow").toString(), "--port", String.valueOf(port)), Map.of())) {
            long old = awaitServedBy(starter, port);
            Received busy = new Received();
            WebSocket busyWs = open(client, port, busy);
            assertThat(ask(busyWs, busy, "before")).isEqualTo(old);

            // It talks all along, from before the restart until the old generation ends it.
            List<long[]> answers = new java.util.concurrent.CopyOnWriteArrayList<>(); // {nanoTime, pid}
            Thread talker = new Thread(() -> {
                try {
                    for (int n = 0; !busy.end.isDone(); n++) {
                        answers.add(new long[] {System.nanoTime(), ask(busyWs, busy, "during " + n)});
                        Thread.sleep(100);
                    }
                } catch (InterruptedException | RuntimeException | AssertionError ended) {
                    // the WebSocket ended: how is in busy.end
                }
            }, "websocket-talker");
            talker.start();

            starter.signal("HUP");
            long fresh = awaitAnsweredByOtherThan(port, old);
            starter.awaitOutput("drain (pid " + old + "): stopped accepting");
            long termSeenNanos = System.nanoTime();
            Received later = new Received();
            WebSocket laterWs = open(client, port, later);
            assertThat(ask(laterWs, later, "new")).isEqualTo(fresh);

            awaitExit(old);
            await("the end of the old WebSocket").atMost(Duration.ofSeconds(60)).until(busy.end::isDone);
            talker.join(TimeUnit.SECONDS.toMillis(60));
            long lastOldAnswerMs = answers.stream().filter(a -> a[1] == old)
                    .mapToLong(a -> TimeUnit.NANOSECONDS.toMillis(a[0] - termSeenNanos)).max().orElse(Long.MIN_VALUE);
            assertThat(answers.stream().filter(a -> a[1] != old)).as("one WebSocket, one generation").isEmpty();
            // TERM came at the latest when its line was seen; a drain timeout later the app's shutdown ends it
            assertThat(lastOldAnswerMs).as("the old generation answered its WebSocket until the drain timeout ("
                    + busy.end.get() + ")").isGreaterThanOrEqualTo(TimeUnit.SECONDS.toMillis(DRAIN_TIMEOUT_SECONDS) - 3000);
            assertThat(starter.output()).containsPattern("drain \\(pid " + old + "\\): timeout after \\d+ ms with 1 connection");

            assertThat(ask(laterWs, later, "still")).isEqualTo(fresh);
            laterWs.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(30, TimeUnit.SECONDS).join();
        }
    }
}
