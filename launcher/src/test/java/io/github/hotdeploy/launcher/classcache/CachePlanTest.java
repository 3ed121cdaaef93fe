package io.github.hotdeploy.launcher.classcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CachePlanTest {
    private static final Path SEALED = Path.of("/c/k.aot");
    private static final Path PART = Path.of("/c/k.1-2.part");

    private static final List<String> ARGV = List.of("java", "-javaagent:/a.jar=x", "-Xmx1g", "-cp", "app.jar:lib/*",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED", "app.Main", "--port", "8080");

    private static CachePlan.Decision decide(int feature, Path sealed, boolean underWay, boolean failed) {
        return CachePlan.decide(feature, ARGV, JavaCommand.parse(ARGV.subList(1, ARGV.size()), Map.of()), sealed, PART,
                underWay, failed);
    }

    @Test
    void jdk25RecordsAConfigurationTheCacheIsMadeFromItAfterwardsThenEveryLaterGenerationMapsIt() {
        CachePlan.Decision record = decide(25, null, false, false);
        assertThat(record.options()).containsExactly("-XX:AOTMode=record", "-XX:AOTConfiguration=/c/k.1-2.part.config",
                "-Xlog:aot=error", "-Xlog:aot=info:file=/c/k.1-2.part.record.log:uptime:filecount=0");
        assertThat(CachePlan.decide(25, ARGV, JavaCommand.parse(ARGV.subList(1, ARGV.size()), Map.of()), null,
                Path.of("/c c/k.1-2.part"), false, false).options()).as("a path -Xlog cannot take: no JVM log, no exit watch")
                .containsExactly("-XX:AOTMode=record", "-XX:AOTConfiguration=/c c/k.1-2.part.config", "-Xlog:aot=error");
        assertThat(record.assembly()).containsExactly("java", "-XX:AOTMode=create",
                "-XX:AOTConfiguration=/c/k.1-2.part.config", "-XX:AOTCache=/c/k.1-2.part", "-Xlog:aot=error",
                "-Xlog:aot=warning:file=/c/k.1-2.part.log:none",
                "-javaagent:/a.jar=x", "-Xmx1g", "-cp", "app.jar:lib/*", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "app.Main", "--port", "8080");
        assertThat(decide(25, null, true, false).kind())
                .as("a generation spawned while the previous one still records boots cold").isEqualTo(CachePlan.Kind.NONE);
        assertThat(decide(25, SEALED, false, false).options()).containsExactly("-XX:AOTCache=/c/k.aot");
        assertThat(decide(26, SEALED, true, false).options()).containsExactly("-XX:AOTCache=/c/k.aot");
    }

    @Test
    void jdk13To24ListTheLoadedClassesAndDumpAStaticArchiveWithoutTheAgentUsedWithIt() {
        CachePlan.Decision record = decide(17, null, false, false);
        assertThat(record.options()).containsExactly("-XX:DumpLoadedClassList=/c/k.1-2.part.config");
        assertThat(record.assembly()).as("no agent, no main class, the class path whole").containsExactly("java",
                "-Xmx1g", "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-Xshare:dump",
                "-XX:SharedClassListFile=/c/k.1-2.part.config", "-XX:SharedArchiveFile=/c/k.1-2.part", "-Xlog:cds=error",
                "-cp", "app.jar:lib/*");
        assertThat(decide(21, Path.of("/c/k.jsa"), false, false).options()).containsExactly("-XX:SharedArchiveFile=/c/k.jsa");
        List<String> jar = List.of("java", "-javaagent:/a.jar", "-jar", "app.jar", "--port", "1");
        assertThat(CachePlan.decide(17, jar, JavaCommand.parse(jar.subList(1, jar.size()), Map.of()), null, PART, false, false)
                .assembly()).endsWith("-cp", "app.jar").doesNotContain("-jar", "--port", "-javaagent:/a.jar");
    }

    @Test
    void aRecordingThatGaveNoCacheIsNotRepeatedAndOldRuntimesGetNothing() {
        assertThat(decide(25, null, false, true).kind()).isEqualTo(CachePlan.Kind.NONE);
        assertThat(decide(11, null, false, false).reason()).contains("JDK 11 has no application class archive");
        assertThat(decide(0, null, false, false).reason()).contains("version is unknown");
    }

    @Test
    void onlyASpringBootLauncherOnAJdkWithAStaticArchiveIsRefused() {
        assertThat(CachePlan.nestedJarRefusal(17, "org.springframework.boot.loader.launch.JarLauncher"))
                .contains("JDK 17's class archive cannot hold", "extract", "JDK 25+");
        assertThat(CachePlan.nestedJarRefusal(21, "org.springframework.boot.loader.WarLauncher")).isNotNull();
        assertThat(CachePlan.nestedJarRefusal(25, "org.springframework.boot.loader.launch.JarLauncher")).isNull();
        assertThat(CachePlan.nestedJarRefusal(11, "org.springframework.boot.loader.launch.JarLauncher"))
                .as("no archive at all: decide() says so").isNull();
        assertThat(CachePlan.nestedJarRefusal(17, "io.github.hotdeploy.testapps.springboot.SpringBootApp")).isNull();
        assertThat(CachePlan.nestedJarRefusal(17, null)).isNull();
    }

    @Test
    void theVersionIsReadAsTheReleaseFileWritesIt() {
        assertThat(Jdk.feature("17.0.15")).isEqualTo(17);
        assertThat(Jdk.feature("25")).isEqualTo(25);
        assertThat(Jdk.feature("1.8.0_402")).isEqualTo(8);
        assertThat(Jdk.feature("26-ea")).isEqualTo(26);
        assertThat(Jdk.feature("x")).isZero();
    }
}
