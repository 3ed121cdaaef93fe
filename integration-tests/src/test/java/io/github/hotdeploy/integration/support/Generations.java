package io.github.hotdeploy.integration.support;

import static org.awaitility.Awaitility.await;

import io.github.hotdeploy.testsupport.Http;
import io.github.hotdeploy.testsupport.Jdk;
import io.github.hotdeploy.testsupport.ManagedProcess;
import io.github.hotdeploy.testsupport.ProcFs;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Which process answers, and the waits for generations to come and go, as the drain tests need them. */
public final class Generations {

    private Generations() {
    }

    /** JDK 17 and JDK 25: a test on one that is missing is skipped or failed by {@link Jdk#java()}, never dropped. */
    public static List<Jdk> javas() {
        return Jdk.ALL;
    }

    /** (server, java) for each server on each of {@link #javas()}: a parameterized test's source. */
    public static Stream<Arguments> onEachJava(String... servers) {
        List<Arguments> all = new ArrayList<>();
        for (String server : servers) {
            for (Jdk jdk : javas()) {
                all.add(Arguments.of(server, jdk));
            }
        }
        return all.stream();
    }

    /**
     * The pid of the one generation, once it answers GET /. The answer names it: bin/start_server
     * is a script whose short-lived subshells are children too before it execs the launcher.
     */
    public static long awaitServedBy(ManagedProcess starter, int port) {
        long[] pid = new long[1];
        await("GET / answered by start_server's only child").atMost(ManagedProcess.PATIENCE)
                .pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
                    pid[0] = Http.get(port, "/").pid();
                    return starter.children().equals(List.of(pid[0]));
                });
        return pid[0];
    }

    public static long awaitAnsweredByOtherThan(int port, long old) {
        long[] pid = new long[1];
        await("GET / answered by a process other than " + old).atMost(ManagedProcess.PATIENCE)
                .pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
                    pid[0] = Http.get(port, "/").pid();
                    return pid[0] > 0 && pid[0] != old;
                });
        return pid[0];
    }

    /**
     * A /sleep duration that outlasts the next generation's start-up even on a loaded machine:
     * baseMs plus twice what this generation took to serve since startedNanos, at most capMs. The
     * next generation starts while the test waits, so its start-up may take twice the first's
     * before the base is touched; a sleep that ends too soon fails the test (the old generation
     * is no longer draining, or the request already answered), it never passes it.
     */
    public static long sleepOutlasting(long startedNanos, long baseMs, long capMs) {
        return Math.min(capMs, baseMs + 2 * (System.nanoTime() - startedNanos) / 1_000_000);
    }

    /**
     * GET /sleep?ms=N on a new connection, returned once process {@code pid} holds it with the
     * request read (nothing unread): from then on the request is in flight in that process.
     */
    public static Http sleepingIn(long pid, int port, long sleepMs) throws IOException {
        Http http = new Http(port);
        try {
            http.send("/sleep?ms=" + sleepMs);
            await("pid " + pid + " has read the slow request").atMost(ManagedProcess.PATIENCE)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> ProcFs.holdsWithNothingUnread(pid, port, http.localPort()));
            return http;
        } catch (IOException | RuntimeException | Error e) {
            http.close();
            throw e;
        }
    }

    public static void awaitExit(long pid) {
        await("pid " + pid + " exits").atMost(ManagedProcess.PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
    }
}
