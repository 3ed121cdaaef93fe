package io.github.hotdeploy.bench.restart;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppsTest {

    @Test
    void jarAppsAreTheReadmesCommandLinesWithTheirTemporaryFilesInTheScenario(@TempDir Path dir) throws Exception {
        Apps.Launch l = Apps.get("netty-epoll").prepare(Path.of("/repo"), "java", 8080, dir);
        assertThat(l.command()).containsExactly("java", "-Djava.io.tmpdir=" + dir.resolve("tmp"), "-jar",
                "/repo/test-apps/netty/target/test-app-netty.jar", "--port=8080", "--transport=epoll");
        assertThat(l.env()).isEmpty();
        assertThat(dir.resolve("tmp")).isDirectory();
    }

    @Test
    void springBootLeavesItsTomcatDirectoriesInTheScenario(@TempDir Path dir) throws Exception {
        for (String name : new String[] {"spring-boot", "spring-boot-management"}) {
            Apps.Launch l = Apps.get(name).prepare(Path.of("/repo"), "java", 8080, dir.resolve(name));
            assertThat(l.command()).as(name).contains("-Djava.io.tmpdir=" + dir.resolve(name).resolve("tmp"));
        }
    }

    @Test
    void tomcatDistributionRunsCatalinaOnAPrivateBase(@TempDir Path tmp) throws Exception {
        Path repo = tmp.resolve("repo");
        Path dist = repo.resolve("test-apps/distributions/target");
        Files.createDirectories(dist.resolve("tomcat/bin"));
        Files.writeString(dist.resolve("tomcat/bin/catalina.sh"), "#!/bin/sh\n");
        Files.createDirectories(dist.resolve("catalina-base/conf"));
        Files.createDirectories(dist.resolve("catalina-base/webapps"));
        Files.writeString(dist.resolve("catalina-base/conf/server.xml"), "<Server/>");
        Files.writeString(dist.resolve("catalina-base/webapps/ROOT.war"), "war");
        Apps.App app = Apps.get("tomcat-dist");
        assertThat(app.built(repo)).isTrue();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        Apps.Launch l = app.prepare(repo, java, 8123, tmp.resolve("scenario"));

        assertThat(l.command()).containsExactly(dist.resolve("tomcat/bin/catalina.sh").toString(), "run");
        assertThat(l.env()).containsEntry("CATALINA_HOME", dist.resolve("tomcat").toString())
                .containsEntry("CATALINA_BASE", tmp.resolve("scenario/catalina-base").toString())
                .containsEntry("CATALINA_OPTS", "-Dhttp.host=127.0.0.1 -Dhttp.port=8123")
                .containsEntry("JAVA_HOME", Path.of(System.getProperty("java.home")).toRealPath().toString());
        assertThat(tmp.resolve("scenario/catalina-base/conf/server.xml")).hasContent("<Server/>");
        assertThat(tmp.resolve("scenario/catalina-base/webapps/ROOT.war")).exists();
    }

    @Test
    void aDistributionWithoutItsWarIsNotBuilt(@TempDir Path repo) throws Exception {
        Path home = repo.resolve("test-apps/distributions/target/jetty-home");
        Files.createDirectories(home);
        Files.writeString(home.resolve("start.jar"), "jar");
        assertThat(Apps.get("jetty-dist").built(repo)).isFalse();
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

    @Test
    void tlsAppsGetAKeyMadeForTheScenario(@TempDir Path dir) throws Exception {
        Apps.Launch l = Apps.get("jetty-tls").prepare(Path.of("/repo"), "java", 8443, dir);
        assertThat(l.command()).contains("--keystore=" + dir.resolve("key.p12"), "--keystore-password=restart-harness");
        assertThat(dir.resolve("key.p12")).isNotEmptyFile();
    }
}
