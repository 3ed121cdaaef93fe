package io.github.hotdeploy.bench.restart;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotdeploy.testapps.launch.Launch;
import io.github.hotdeploy.testapps.launch.TestApps;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppsTest {

    @Test
    void theHarnessRunsTheHttpServersOnStartServersOnePort() {
        assertThat(Apps.ALL).containsKeys("demo", "jetty", "tomcat-dist-stock", "wiremock", "jetty-tls")
                .doesNotContainKeys("h2", "unixsocket", "jetty-dist-exec");
        assertThat(Apps.ALL.keySet()).startsWith("demo", "jetty", "jetty11");
    }

    @Test
    void theAppsAreLaunchedAsTheyAreWithTheirOwnPortsPickedFree(@TempDir Path dir) throws Exception {
        Launch l = Apps.prepare(Apps.get("spring-boot-management"), Path.of("/repo"), "java", 8080, dir);
        assertThat(l.command()).startsWith("java", "-Djava.io.tmpdir=" + dir.resolve("tmp"), "-jar")
                .anyMatch(arg -> arg.matches("--management-port=\\d+"));
    }

    @Test
    void wireMockGetsTheStubsOfTheCheckedRequests(@TempDir Path dir) throws Exception {
        Apps.prepare(Apps.get("wiremock"), Path.of("/repo"), "java", 8080, dir, new Apps.Checked(List.of(10), List.of(), 1));
        assertThat(TestApps.WireMockApp.root(dir).resolve("__files/bytes-10-0.txt")).hasSize(10);
        assertThat(TestApps.WireMockApp.root(dir).resolve("mappings")).isDirectoryContaining(p -> p.toString().endsWith(".json"));
    }

    @Test
    void eachClientLoadsTheAppsItCan() {
        assertThat(RestartHarness.runs(Apps.get("jetty"), "keepalive")).isTrue();
        assertThat(RestartHarness.runs(Apps.get("jetty"), "wrk-post")).isTrue();
        assertThat(RestartHarness.runs(Apps.get("jetty"), "h2load")).isFalse();
        // https: the wrk clients only (our load generator speaks plain http)
        assertThat(RestartHarness.runs(Apps.get("tomcat-tls"), "wrk")).isTrue();
        assertThat(RestartHarness.runs(Apps.get("tomcat-tls"), "close")).isFalse();
        // the h2c variant is for h2load alone
        assertThat(RestartHarness.runs(Apps.get("jetty-h2c"), "h2load")).isTrue();
        assertThat(RestartHarness.runs(Apps.get("jetty-h2c"), "wrk")).isFalse();
        assertThat(Apps.get("demo").bodies()).isFalse();
        // no POST /echo on the demo app; no wrk-close where the JDK's httpserver never says it closes
        assertThat(RestartHarness.runs(Apps.get("demo"), "wrk-post")).isFalse();
        assertThat(RestartHarness.runs(Apps.get("demo"), "wrk-close")).isFalse();
        assertThat(RestartHarness.runs(Apps.get("httpserver"), "wrk-close")).isFalse();
        assertThat(RestartHarness.runs(Apps.get("httpserver"), "wrk-post")).isTrue();
        assertThat(RestartHarness.runs(Apps.get("wiremock"), "wrk-close")).isFalse();
        assertThat(RestartHarness.whyNot(Apps.get("httpserver"), "wrk-close")).contains("Connection: close");
        assertThat(Apps.get("wiremock").sleeps()).isFalse();
    }
}
