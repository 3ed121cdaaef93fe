package io.github.hotdeploy.launcher.classcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CachePlanTest {
    private static final Path SEALED = Path.of("/c/k.aot");
    private static final Path PART = Path.of("/c/k.1-2.part");

    @Test
    void jdk25RecordsAnAotCacheOnceThenEveryLaterGenerationMapsIt() {
        assertThat(CachePlan.decide(25, true, null, PART, false, false).options())
                .containsExactly("-XX:AOTCacheOutput=/c/k.1-2.part", "-Xlog:aot=error");
        assertThat(CachePlan.decide(25, true, null, PART, true, false).kind())
                .as("a generation spawned while the previous one still records boots cold").isEqualTo(CachePlan.Kind.NONE);
        assertThat(CachePlan.decide(25, true, SEALED, PART, false, false).options()).containsExactly("-XX:AOTCache=/c/k.aot");
        assertThat(CachePlan.decide(26, false, SEALED, PART, true, false).options()).containsExactly("-XX:AOTCache=/c/k.aot");
    }

    @Test
    void jdk17To24UseADynamicArchiveButNotWithTheAgent() {
        assertThat(CachePlan.decide(17, false, null, PART, false, false).options())
                .containsExactly("-XX:ArchiveClassesAtExit=/c/k.1-2.part");
        assertThat(CachePlan.decide(21, false, Path.of("/c/k.jsa"), PART, false, false).options())
                .containsExactly("-XX:SharedArchiveFile=/c/k.jsa");
        CachePlan.Decision withAgent = CachePlan.decide(17, true, null, PART, false, false);
        assertThat(withAgent.kind()).isEqualTo(CachePlan.Kind.NONE);
        assertThat(withAgent.reason()).contains("while a Java agent is loaded");
    }

    @Test
    void aRecordingThatGaveNoCacheIsNotRepeatedAndOldRuntimesGetNothing() {
        assertThat(CachePlan.decide(25, true, null, PART, false, true).kind()).isEqualTo(CachePlan.Kind.NONE);
        assertThat(CachePlan.decide(11, false, null, PART, false, false).reason()).contains("JDK 11 has no dynamic class archive");
        assertThat(CachePlan.decide(0, false, null, PART, false, false).reason()).contains("version is unknown");
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
