package io.github.hotdeploy.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotdeploy.agent.it.apps.JettyServer;
import io.github.hotdeploy.agent.it.apps.NettyServer;
import io.github.hotdeploy.agent.it.apps.TomcatServer;
import io.github.hotdeploy.agent.it.apps.UndertowServer;
import io.github.hotdeploy.agent.it.support.Adoption;
import io.github.hotdeploy.agent.it.support.Jdks;
import io.github.hotdeploy.agent.it.support.StartServer;
import io.github.hotdeploy.testsupport.FreePorts;
import io.github.hotdeploy.testsupport.ManagedProcess;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Unmodified servers from Maven Central under start_server (the Perl original unless
 * -Dstart_server.command says otherwise) and the agent: each serves on the launcher's socket and
 * survives a restart onto the same socket. On JDK 25, where the servers print warnings of their
 * own that must not name the agent; the same servers run on JDK 17 and 25 under our start_server
 * in integration-tests (JettyIT, TomcatNioIT, NettyNioIT, NettyEpollIT, UndertowIT), and what the
 * launcher adds to the agent's work does not depend on the JDK.
 */
class RealServersIT {

    static List<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String server : List.of("jetty", "tomcat", "netty-nio", "netty-epoll", "undertow")) {
            cases.add(Arguments.of(server, "25"));
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} on JDK {1}")
    @MethodSource("cases")
    void servesOnTheLaunchersSocketAcrossARestart(String server, String jdk) throws Exception {
        int port = FreePorts.tcp();
        List<String> main = mainAndArgs(server, port);
        try (ManagedProcess launcher = StartServer.start(Collections.singletonList("--port=127.0.0.1:" + port),
                Jdks.java(jdk), Collections.emptyList(), Jdks.serverClassPath(), main.get(0),
                main.subList(1, main.size()).toArray(new String[0]))) {
            String protocol = server.startsWith("netty") ? "line" : "httpserver";
            long first = launcher.awaitOnlyChild();
            assertThat(AdoptionIT.awaitAnswerFrom(first, protocol, port).generation).isEqualTo("1");
            Adoption.assertAdoptedTcp(launcher.pid(), first, port);

            launcher.signal("HUP");
            long second = AdoptionIT.awaitOnlyChildOtherThan(launcher, first);
            assertThat(AdoptionIT.awaitAnswerFrom(second, protocol, port).generation).isEqualTo("2");
            Adoption.assertAdoptedTcp(launcher.pid(), second, port);

            assertThat(launcher.linesStartingWith("start_server-agent: adopted")).as(launcher.output()).hasSize(2);
            // Netty's epoll transport keeps the listener in its own epoll set: no drain (docs/agent.md).
            assertThat(server.equals("netty-epoll") ? Adoption.warningsBesidesNoDrain(launcher)
                    : Adoption.warnings(launcher)).as(launcher.output()).isEmpty();
            // The servers' own JDK 24+ warnings (Unsafe in jboss-threads, Netty's loadLibrary) are
            // theirs; none may name the agent.
            assertThat(launcher.linesStartingWith("WARNING:")).as(launcher.output())
                    .noneSatisfy(line -> assertThat(line).contains("hotdeploy"));
        }
    }

    static List<String> mainAndArgs(String server, int port) {
        String p = Integer.toString(port);
        switch (server) {
            case "jetty": return Arrays.asList(JettyServer.class.getName(), "127.0.0.1", p);
            case "tomcat": return Arrays.asList(TomcatServer.class.getName(), "127.0.0.1", p);
            case "netty-nio": return Arrays.asList(NettyServer.class.getName(), "nio", "127.0.0.1", p);
            case "netty-epoll": return Arrays.asList(NettyServer.class.getName(), "epoll", "127.0.0.1", p);
            case "undertow": return Arrays.asList(UndertowServer.class.getName(), "127.0.0.1", p);
            default: throw new IllegalArgumentException(server);
        }
    }
}
