package io.github.hotdeploy.testapps.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestAppsTest {

    private static final Path REPO = Path.of("/repo");

    private static Target target(Jvm jvm, int port, Path dir, Integer... ownPorts) {
        return new Target(REPO, jvm, port, List.of(ownPorts), dir);
    }

    @Test
    void jarAppsAreTheReadmesCommandLinesWithTheirTemporaryFilesInTheRun(@TempDir Path dir) throws Exception {
        Launch l = TestApps.get("netty-epoll").launch(target(Jvm.of("java"), 8080, dir));
        assertThat(l.command()).containsExactly("java", "-Djava.io.tmpdir=" + dir.resolve("tmp"), "-jar",
                "/repo/test-apps/netty/target/test-app-netty.jar", "--port=8080", "--transport=epoll");
        assertThat(l.env()).isEmpty();
        assertThat(dir.resolve("tmp")).isDirectory();
    }

    @Test
    void theJvmsOptionsGoBeforeTheJar(@TempDir Path dir) throws Exception {
        Jvm jvm = new Jvm("/jdk/bin/java", Path.of("/jdk"), List.of("-XX:+UseSerialGC"));
        Launch l = TestApps.get("unixsocket").launch(target(jvm, -1, dir));
        assertThat(l.command()).containsExactly("/jdk/bin/java", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + dir.resolve("tmp"),
                "-jar", "/repo/test-apps/unixsocket/target/test-app-unixsocket.jar", "--path", TestApps.socket(dir).toString());
    }

    @Test
    void springBootLeavesItsTomcatDirectoriesInTheRun(@TempDir Path dir) throws Exception {
        assertThat(TestApps.get("spring-boot").launch(target(Jvm.of("java"), 8080, dir.resolve("a"))).command())
                .contains("-Djava.io.tmpdir=" + dir.resolve("a").resolve("tmp"));
        assertThat(TestApps.get("spring-boot-management").launch(target(Jvm.of("java"), 8080, dir.resolve("b"), 9090))
                .command()).contains("-Djava.io.tmpdir=" + dir.resolve("b").resolve("tmp"), "--management-port=9090");
    }

    @Test
    void anAppIsToldThePortsItBindsItself(@TempDir Path dir) {
        assertThat(TestApps.get("tomcat-dist-stock").ownPorts()).isEqualTo(2);
        assertThatThrownBy(() -> TestApps.get("h2").launch(target(Jvm.of("java"), 8080, dir)))
                .hasMessageContaining("binds 1 ports of its own");
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
        TestApp app = TestApps.get("tomcat-dist");
        assertThat(app.built(repo)).isTrue();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        Launch l = app.launch(new Target(repo, Jvm.of(java), 8123, List.of(), tmp.resolve("run")));

        assertThat(l.command()).containsExactly(dist.resolve("tomcat/bin/catalina.sh").toString(), "run");
        assertThat(l.env()).containsEntry("CATALINA_HOME", dist.resolve("tomcat").toString())
                .containsEntry("CATALINA_BASE", tmp.resolve("run/catalina-base").toString())
                .containsEntry("CATALINA_OPTS", "-Dhttp.host=127.0.0.1 -Dhttp.port=8123")
                .containsEntry("JAVA_HOME", Path.of(System.getProperty("java.home")).toRealPath().toString())
                .doesNotContainKey("JAVA_OPTS");
        assertThat(tmp.resolve("run/catalina-base/conf/server.xml")).hasContent("<Server/>");
        assertThat(tmp.resolve("run/catalina-base/webapps/ROOT.war")).exists();

        Launch flagged = app.launch(new Target(repo, new Jvm(java, Path.of("/jdk"), List.of("-Xshare:auto", "-XX:+UseSerialGC")),
                8123, List.of(), tmp.resolve("run2")));
        assertThat(flagged.env()).containsEntry("JAVA_OPTS", "-Xshare:auto -XX:+UseSerialGC").containsEntry("JAVA_HOME", "/jdk");
    }

    @Test
    void aDistributionWithoutItsWarIsNotBuilt(@TempDir Path repo) throws Exception {
        Path home = repo.resolve("test-apps/distributions/target/jetty-home");
        Files.createDirectories(home);
        Files.writeString(home.resolve("start.jar"), "jar");
        assertThat(TestApps.get("jetty-dist").built(repo)).isFalse();
    }

    @Test
    void tlsAppsGetAKeyMadeForTheRun(@TempDir Path dir) throws Exception {
        Launch l = TestApps.get("jetty-tls").launch(target(Jvm.of("java"), 8443, dir));
        assertThat(l.tls()).isTrue();
        assertThat(l.command()).contains("--keystore=" + dir.resolve("key.p12"), "--keystore-password=restart-harness");
        assertThat(dir.resolve("key.p12")).isNotEmptyFile();
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> TestApps.get("jboss")).hasMessageContaining("unknown server 'jboss'")
                .hasMessageContaining("jetty,jetty11,");
    }
}
