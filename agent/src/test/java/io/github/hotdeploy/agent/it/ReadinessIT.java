package io.github.hotdeploy.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotdeploy.agent.it.apps.FixtureServer;
import io.github.hotdeploy.agent.it.support.Jdks;
import io.github.hotdeploy.agent.it.support.StartServer;
import io.github.hotdeploy.testsupport.FreePorts;
import io.github.hotdeploy.testsupport.ManagedProcess;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * READY=1 on SERVER_STARTER_NOTIFY_FD once the app accepts on what it adopted. The Perl original
 * has no readiness protocol, so a small Perl harness (src/test/resources/notify-harness.pl) plays
 * the launcher's part: it passes a listener and a connected datagram socket and prints what
 * arrives on it.
 */
class ReadinessIT {

    static List<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String jdk : Jdks.versions()) {
            // blocking accept, OP_ACCEPT interest on a selector, async accept, httpserver (selector)
            for (String kind : new String[] {"serversocket", "selector", "async", "httpserver"}) {
                cases.add(Arguments.of(kind, jdk));
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} on JDK {1}")
    @MethodSource("cases")
    void readyOnceTheAppAccepts(String kind, String jdk) throws Exception {
        int port = FreePorts.tcp();
        try (ManagedProcess harness = harness(Jdks.java(jdk), Collections.singletonList(port), kind, port)) {
            long app = harness.awaitOnlyChild();
            harness.awaitOutput("notify: READY=1");
            assertThat(harness.linesStartingWith("notify: ")).as(harness.output()).containsExactly(
                    "notify: X_START_SERVER_AGENT=1\\nMAINPID=" + app + "\\n",
                    "notify: X_START_SERVER_ADOPTED=127.0.0.1:" + port + "\\nMAINPID=" + app + "\\n",
                    "notify: READY=1\\nMAINPID=" + app + "\\n");
            // The agent logs after sending: the datagram may be printed first.
            harness.awaitOutput("start_server-agent: ready:");
            assertThat(harness.linesStartingWith("start_server-agent: ready: accepting on [127.0.0.1:" + port + "]"))
                    .as(harness.output()).hasSize(1);
        }
    }

    static List<Arguments> realServers() {
        List<Arguments> cases = new ArrayList<>();
        for (String jdk : Jdks.versions()) {
            for (String server : new String[] {"jetty", "tomcat", "netty-nio", "netty-epoll", "undertow"}) {
                cases.add(Arguments.of(server, jdk));
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} on JDK {1}")
    @MethodSource("realServers")
    void realServersBecomeReady(String server, String jdk) throws Exception {
        int port = FreePorts.tcp();
        List<String> main = RealServersIT.mainAndArgs(server, port);
        List<String> command = harnessCommand(Collections.singletonList(port));
        command.addAll(StartServer.javaCommand(Jdks.java(jdk), Collections.emptyList(), Jdks.serverClassPath(),
                main.get(0), main.subList(1, main.size()).toArray(new String[0])));
        try (ManagedProcess harness = ManagedProcess.start(command, StartServer.none())) {
            long app = harness.awaitOnlyChild();
            harness.awaitOutput("notify: READY=1");
            assertThat(harness.linesStartingWith("notify: READY")).as(harness.output())
                    .containsExactly("notify: READY=1\\nMAINPID=" + app + "\\n");
            assertThat(harness.linesStartingWith("notify: X_START_SERVER_ADOPTED=")).as(harness.output())
                    .containsExactly("notify: X_START_SERVER_ADOPTED=127.0.0.1:" + port + "\\nMAINPID=" + app + "\\n");
        }
    }

    @Test
    void readyAfterTheQuietPeriodWhenTheAppBindsOnlySomeListeners() throws Exception {
        int used = FreePorts.tcp();
        int unused = FreePorts.tcp();
        try (ManagedProcess harness = harness(Jdks.java17(), Arrays.asList(used, unused), "channel", used)) {
            long app = harness.awaitOnlyChild();
            harness.awaitOutput("notify: READY=1");
            assertThat(harness.linesStartingWith("notify: READY")).containsExactly("notify: READY=1\\nMAINPID=" + app + "\\n");
            harness.awaitOutput("start_server-agent: ready:");
            assertThat(harness.output()).contains("(the app did not bind [127.0.0.1:" + unused + "])");
        }
    }

    @Test
    void aPortTheAppBindsItselfIsReportedWithItsFd() throws Exception {
        int offered = FreePorts.tcp();
        int own = FreePorts.tcp();
        try (ManagedProcess harness = harness(Jdks.java17(), Collections.singletonList(offered), "channel", own)) {
            long app = harness.awaitOnlyChild();
            harness.awaitOutput("notify: X_START_SERVER_BOUND=");
            assertThat(harness.linesStartingWith("notify: X_START_SERVER_BOUND=")).as(harness.output()).singleElement()
                    .asString().matches("notify: X_START_SERVER_BOUND=\\d+ 127\\.0\\.0\\.1:" + own
                            + "\\\\nMAINPID=" + app + "\\\\n");
            assertThat(harness.linesStartingWith("notify: READY")).as("it serves nothing start_server offered").isEmpty();
        }
    }

    @Test
    void aHeldPortIsAdoptedButReadinessWaitsOnlyForTheServedOnes() throws Exception {
        int served = FreePorts.tcp();
        int held = FreePorts.tcp();
        List<String> command = harnessCommand(Collections.singletonList(served));
        command.add(command.size() - 1, "--extra=127.0.0.1:" + held);
        command.addAll(StartServer.javaCommand(Jdks.java17(), Collections.emptyList(), Jdks.fixtureClassPath(),
                FixtureServer.class.getName(), "channel", "127.0.0.1:" + served));
        try (ManagedProcess harness = ManagedProcess.start(command, StartServer.none())) {
            long app = harness.awaitOnlyChild();
            harness.awaitOutput("start_server-agent: ready:");
            assertThat(harness.output()).as("READY at once: the held port is not one start_server was asked to serve")
                    .doesNotContain("did not bind");
            assertThat(harness.linesStartingWith("notify: READY")).containsExactly("notify: READY=1\\nMAINPID=" + app + "\\n");
        }
        command = harnessCommand(Collections.singletonList(served));
        command.add(command.size() - 1, "--extra=127.0.0.1:" + held);
        command.addAll(StartServer.javaCommand(Jdks.java17(), Collections.emptyList(), Jdks.fixtureClassPath(),
                FixtureServer.class.getName(), "channel", "127.0.0.1:" + held));
        try (ManagedProcess harness = ManagedProcess.start(command, StartServer.none())) {
            long app = harness.awaitOnlyChild();
            harness.awaitOutput("notify: X_START_SERVER_ADOPTED=");
            assertThat(harness.linesStartingWith("notify: X_START_SERVER_ADOPTED=")).containsExactly(
                    "notify: X_START_SERVER_ADOPTED=127.0.0.1:" + held + "\\nMAINPID=" + app + "\\n");
            assertThat(harness.output()).contains("start_server-agent: adopted the socket start_server holds since an"
                    + " earlier generation bound it, 127.0.0.1:" + held);
            assertThat(harness.linesStartingWith("notify: X_START_SERVER_BOUND=")).as("adopted, not its own").isEmpty();
        }
    }

    private static List<String> harnessCommand(List<Integer> ports) {
        List<String> command = new ArrayList<>();
        command.add("perl");
        command.add(Paths.get("target", "test-classes", "notify-harness.pl").toAbsolutePath().toString());
        for (int port : ports) {
            command.add("--port=127.0.0.1:" + port);
        }
        command.add("--");
        return command;
    }

    private static ManagedProcess harness(String java, List<Integer> ports, String kind, int appPort)
            throws Exception {
        List<String> command = harnessCommand(ports);
        command.addAll(StartServer.javaCommand(java, Collections.emptyList(), Jdks.fixtureClassPath(),
                FixtureServer.class.getName(), kind, "127.0.0.1:" + appPort));
        return ManagedProcess.start(command, StartServer.none());
    }
}
