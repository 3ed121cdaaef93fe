package io.github.hotdeploy.bench.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HarnessOptionsTest {

    @Test
    void fullRunDefaults() {
        HarnessOptions o = HarnessOptions.parse();
        assertThat(o.quick()).isFalse();
        assertThat(o.restarts()).isEqualTo(20);
        assertThat(o.servers()).containsExactly("demo", "jetty", "tomcat", "netty", "undertow");
        assertThat(o.jdks()).containsExactly("17");
        assertThat(o.modes()).containsExactly("keepalive", "close");
        assertThat(o.intervalMs()).isEqualTo(3000);
        assertThat(o.contrast()).isTrue();
        assertThat(o.inFlight()).isTrue();
    }

    @Test
    void quickChangesDefaultsButExplicitOptionsWin() {
        HarnessOptions o = HarnessOptions.parse("--quick", "--restarts=5", "--jdk=both", "--interval=2.5", "--modes=close",
                "--contrast=no", "--servers=demo,netty-epoll");
        assertThat(o.quick()).isTrue();
        assertThat(o.restarts()).isEqualTo(5);
        assertThat(o.jdks()).containsExactly("17", "25");
        assertThat(o.intervalMs()).isEqualTo(2500);
        assertThat(o.modes()).containsExactly("close");
        assertThat(o.contrast()).isFalse();
        assertThat(o.servers()).containsExactly("demo", "netty-epoll");
        assertThat(HarnessOptions.parse("--quick").restarts()).isEqualTo(3);
        assertThat(HarnessOptions.parse("--quick").servers()).containsExactly("demo");
    }

    @Test
    void fullIsTheWholeMatrix() {
        HarnessOptions o = HarnessOptions.parse("--full");
        assertThat(o.full()).isTrue();
        assertThat(o.restarts()).isEqualTo(20);
        assertThat(o.servers()).containsExactly("demo", "jetty", "jetty11", "tomcat", "tomcat-nio2", "netty", "netty-epoll",
                "undertow", "httpserver", "serversocket", "spring-boot", "vertx", "wiremock", "tomcat-dist", "jetty-dist",
                "tomcat-dist-stock", "spring-boot-management", "jetty-h2c", "jetty-tls", "tomcat-tls");
        assertThat(o.clients()).containsExactly("wrk", "wrk-close", "wrk-post", "h2load");
        assertThat(o.proxies()).containsExactly("nginx", "haproxy");
        assertThat(o.connections()).as("issue 14: at least 32 connections").isEqualTo(32);
        assertThat(o.resend()).isFalse();
        assertThat(o.jdks()).containsExactly("17", "25");
        assertThat(o.modes()).containsExactly("keepalive", "close");
        assertThat(o.inFlightServers()).isEqualTo(o.servers());
        assertThat(o.inFlightSleepMs()).isEqualTo(3000);
        HarnessOptions some = HarnessOptions.parse("--full", "--restarts=3", "--servers=demo,tomcat-dist", "--jdk=17");
        assertThat(some.restarts()).isEqualTo(3);
        assertThat(some.jdks()).containsExactly("17");
        assertThat(some.inFlightServers()).containsExactly("demo", "tomcat-dist");
        assertThat(HarnessOptions.parse().inFlightServers()).containsExactly("demo");
        assertThat(HarnessOptions.parse("--servers=all").servers()).hasSize(20);
        assertThat(HarnessOptions.parse("--in-flight-servers=jetty-dist").inFlightServers()).containsExactly("jetty-dist");
        assertThat(HarnessOptions.parse().startServerOptions()).isEmpty();
        assertThat(HarnessOptions.parse("--wait-ready-timeout=280").startServerOptions()).containsExactly("--wait-ready-timeout=280");
        assertThat(HarnessOptions.parse("--drain-grace=0.25", "--wait-ready-timeout=280").startServerOptions())
                .containsExactly("--wait-ready-timeout=280", "--drain-grace=0.25");
    }

    @Test
    void mistakesAreRefused() {
        assertThatThrownBy(() -> HarnessOptions.parse("--quick", "--full")).hasMessageContaining("exclude");
        assertThatThrownBy(() -> HarnessOptions.parse("--in-flight-servers=nginx")).hasMessageContaining("unknown server");
        assertThatThrownBy(() -> HarnessOptions.parse("--jdk=21")).hasMessageContaining("17, 25 or both");
        assertThatThrownBy(() -> HarnessOptions.parse("--servers=nginx")).hasMessageContaining("unknown server");
        assertThatThrownBy(() -> HarnessOptions.parse("--modes=pipelined")).hasMessageContaining("keepalive");
        assertThatThrownBy(() -> HarnessOptions.parse("--restart=3")).hasMessageContaining("unknown option");
        assertThatThrownBy(() -> HarnessOptions.parse("--contrast=maybe")).hasMessageContaining("yes or no");
        assertThatThrownBy(() -> HarnessOptions.parse("quick")).hasMessageContaining("--name=value");
    }

    @Test
    void theJdkOfARunIsReadFromItsJavaNotAssumed() {
        assertThat(RestartHarness.javaMajor("openjdk version \"17.0.15\" 2025-04-15\nOpenJDK Runtime Environment")).isEqualTo(17);
        assertThat(RestartHarness.javaMajor("openjdk version \"25\" 2025-09-16 LTS")).isEqualTo(25);
        assertThat(RestartHarness.javaMajor("java version \"1.8.0_402\"")).isEqualTo(8);
        assertThat(RestartHarness.javaMajor("bash: java: command not found")).isEqualTo(-1);
    }
}
