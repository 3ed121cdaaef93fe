package io.github.hotdeploy.launcher.spawning;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaProgramTest {

    @Test
    void javaIsFoundWhereTheWrapperWillFindIt(@TempDir Path tmp) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("jdk/bin"));
        Path java = Files.createFile(bin.resolve("java"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Path env = Path.of("/usr/bin/env");
        JavaProgram found = JavaProgram.find(env, List.of("env", "PATH=" + bin, "nice", "java", "-jar", "a.jar"),
                Map.of("PATH", "/nowhere"), null);
        assertThat(found).isNotNull();
        assertThat(found.index()).isEqualTo(3);
        assertThat(found.java()).isEqualTo(java);

        assertThat(JavaProgram.find(env, List.of("env", "java"), Map.of("PATH", "/nowhere"), null))
                .as("not on the PATH the wrapper searches").isNull();
        assertThat(JavaProgram.find(env, List.of("env", "nice", java.toString(), "-version"), Map.of(), null).index())
                .isEqualTo(2);
        assertThat(JavaProgram.find(env, List.of("env", "sh", "-c", "exec java"), Map.of("PATH", "/bin"), null))
                .isNull();
        assertThat(JavaProgram.find(java, List.of(java.toString(), "-version"), Map.of(), null).index()).isZero();
    }
}
