package io.github.hotdeploy.launcher.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ListenerDiagnosisTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long STARTED = 100 * SECOND;

    private static ListenerDiagnosis.Generation noAgent() {
        return new ListenerDiagnosis.Generation(3, 4711, STARTED, List.of(), Set.of(), List.of(), false, List.of());
    }

    /** One look a second from the start, with these queue lengths on listener 8080. */
    private static List<ListenerDiagnosis.Look> looks(int... queued) {
        List<ListenerDiagnosis.Look> looks = new ArrayList<>();
        for (int i = 0; i < queued.length; i++) {
            looks.add(new ListenerDiagnosis.Look(STARTED + (i + 1) * SECOND, Map.of("8080", queued[i])));
        }
        return looks;
    }

    private static long at(List<ListenerDiagnosis.Look> looks) {
        return looks.get(looks.size() - 1).atNanos();
    }

    @Test
    void connectionsThatNeverLeaveTheQueueMeanNobodyAccepts() {
        List<ListenerDiagnosis.Look> looks = looks(3, 5, 5, 9, 12);
        assertThat(ListenerDiagnosis.findings(looks, noAgent(), at(looks))).singleElement().satisfies(f -> {
            assertThat(f.key()).isEqualTo("8080");
            assertThat(f.message()).isEqualTo("nobody accepts on 0.0.0.0:8080: 12 connection(s) waiting, none taken"
                    + " in 4 secs, generation 3 (worker 4711) counts as started since 5 secs: the program does not use"
                    + " SERVER_STARTER_PORT, and no JVM of it runs the agent. A JVM needs the agent (not"
                    + " --java-agent=off; a wrapper such as sudo or env -i must keep the environment, SERVER_STARTER_PORT and"
                    + " JAVA_TOOL_OPTIONS); another program"
                    + " must accept on the socket passed in SERVER_STARTER_PORT instead of binding its own");
        });
    }

    @Test
    void aServerThatAcceptsAtAllIsNeverBlamedHoweverLongItsQueue() {
        assertThat(ListenerDiagnosis.findings(looks(40, 50, 60, 55, 70), noAgent(), 10 * SECOND + STARTED))
                .as("one look with fewer waiting: some were taken").isEmpty();
        assertThat(ListenerDiagnosis.findings(looks(4, 4, 0, 4, 4), noAgent(), 10 * SECOND + STARTED)).isEmpty();
        assertThat(ListenerDiagnosis.findings(looks(4, 4, 4, 4), noAgent(), 10 * SECOND + STARTED))
                .as("too few looks yet").isEmpty();
        assertThat(ListenerDiagnosis.findings(looks(0, 0, 0, 0, 0, 0), noAgent(), 10 * SECOND + STARTED))
                .as("no client: nothing to see in the queue").isEmpty();
    }

    @Test
    void aJvmWithTheAgentThatListensElsewhereIsNamedWithWhatItBound() {
        ListenerDiagnosis.Generation generation = new ListenerDiagnosis.Generation(2, 4711, STARTED, List.of(4711L),
                Set.of(), List.of("0.0.0.0:9090"), true, List.of());
        List<ListenerDiagnosis.Look> looks = looks(0, 0, 0, 0, 0, 0, 0, 0, 0);
        assertThat(ListenerDiagnosis.findings(looks, generation, at(looks))).as("9 secs: not yet").isEmpty();
        looks = looks(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        assertThat(ListenerDiagnosis.findings(looks, generation, at(looks))).singleElement()
                .extracting(ListenerDiagnosis.Finding::message)
                .isEqualTo("nothing takes 0.0.0.0:8080 generation 2 (worker 4711) counts as started since 10 secs: its"
                        + " JVM 4711 runs the agent but never bound 0.0.0.0:8080; it bound 0.0.0.0:9090 instead."
                        + " Configure the application to listen on port 8080, or give start_server the port it uses");
    }

    @Test
    void aJvmWithTheAgentThatBoundNothingMayStillBeStarting() {
        // Seen in the restart harness: Spring Boot on a saturated machine had bound nothing after the
        // 60 s readiness timeout; "configure the application" alone would send the operator astray.
        assertThat(ListenerDiagnosis.whyNotReady(Set.of("127.0.0.1:8080"), new ListenerDiagnosis.Agents(List.of(4711L),
                Set.of(), List.of(), true, List.of()), 4711)).get().isEqualTo("its JVM 4711 runs the agent but has bound"
                + " no TCP port yet: either it is still starting (give it longer with --wait-ready-timeout) or it never"
                + " listens on 127.0.0.1:8080 (configure the application to listen on port 8080, or give start_server"
                + " the port it uses)");
    }

    @Test
    void aJvmWithTheAgentThatIsNotTheGenerationsOwnIsNotBlamedWithoutWaitingConnections() {
        // A Perl server that accepts on the inherited socket itself and runs a Java tool now and then.
        ListenerDiagnosis.Generation generation = new ListenerDiagnosis.Generation(2, 4711, STARTED, List.of(5000L),
                Set.of(), List.of(), false, List.of());
        List<ListenerDiagnosis.Look> looks = looks(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        assertThat(ListenerDiagnosis.findings(looks, generation, at(looks))).isEmpty();
    }

    @Test
    void aJvmThatAdoptedTheSocketButDoesNotAcceptIsCalledStuck() {
        ListenerDiagnosis.Generation generation = new ListenerDiagnosis.Generation(2, 4711, STARTED, List.of(4711L),
                Set.of("8080"), List.of(), true, List.of());
        List<ListenerDiagnosis.Look> looks = looks(1, 2, 3, 4, 5);
        assertThat(ListenerDiagnosis.findings(looks, generation, at(looks))).singleElement()
                .extracting(ListenerDiagnosis.Finding::message).asString()
                .contains("5 connection(s) waiting").contains("its JVM took the socket but does not accept on it");
    }

    @Test
    void aJvmStartedByTheGenerationsJvmBeforeItTookTheSocketIsNamedWithTheWayOut() {
        // Jetty's start.jar --exec: the JVM start_server started runs the agent and starts the server's JVM.
        List<ListenerDiagnosis.Started> started = List.of(new ListenerDiagnosis.Started(4711, 4800, "/bin/sh"),
                new ListenerDiagnosis.Started(4711, 4812, "/usr/lib/jvm/java-17-openjdk-amd64/bin/java"));
        ListenerDiagnosis.Generation generation = new ListenerDiagnosis.Generation(2, 4711, STARTED, List.of(4711L),
                Set.of(), List.of(), true, started);
        List<ListenerDiagnosis.Look> looks = looks(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        assertThat(ListenerDiagnosis.findings(looks, generation, at(looks))).singleElement()
                .extracting(ListenerDiagnosis.Finding::message).asString()
                .startsWith("nothing takes 0.0.0.0:8080 generation 2 (worker 4711) counts as started since 10 secs:"
                        + " JVM 4812 (/usr/lib/jvm/java-17-openjdk-amd64/bin/java) was started by JVM 4711 before that took"
                        + " 0.0.0.0:8080, and did not inherit the sockets")
                .contains("Jetty's start.jar without --exec");
        assertThat(ListenerDiagnosis.startedJvm("8080", started.subList(0, 1))).as("not a JVM: no conclusion").isEmpty();
        assertThat(ListenerDiagnosis.whyNotReady(Set.of("8080"), new ListenerDiagnosis.Agents(List.of(4711L), Set.of(),
                List.of(), true, started), 4711)).get().asString().startsWith("JVM 4812 (");
    }
}
