package io.github.hotdeploy.launcher.spawning;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaProgramTest {
    private static final Path ENV = Path.of("/usr/bin/env");
    private static final Path SH = Path.of("/bin/sh");

    @TempDir
    Path tmp;
    private Path bin;
    private Path java;

    @BeforeEach
    void aJdk() throws Exception {
        bin = Files.createDirectories(tmp.resolve("jdk/bin"));
        java = Files.createFile(bin.resolve("java"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
    }

    @Test
    void javaAsTheProgramIsTheWholeCommand() {
        JavaProgram found = JavaProgram.find(java, List.of(java.toString(), "-version"), Map.of(), null);
        assertThat(found.command()).containsExactly(java.toString(), "-version");
        assertThat(found.argv(List.of(java.toString(), "-Dx=1", "-version"))).containsExactly(java.toString(), "-Dx=1",
                "-version");
    }

    @Test
    void behindExecWrappersJavaIsFoundOnThePathTheWrapperSearches() {
        JavaProgram found = JavaProgram.find(ENV, List.of("env", "PATH=" + bin, "nice", "java", "-jar", "a.jar"),
                Map.of("PATH", "/nowhere"), null);
        assertThat(found.java()).isEqualTo(java);
        assertThat(found.command()).containsExactly("java", "-jar", "a.jar");
        assertThat(found.environment()).containsEntry("PATH", bin.toString());
        assertThat(found.argv(List.of("java", "-Dx=1", "-jar", "a.jar")))
                .containsExactly("env", "PATH=" + bin, "nice", "java", "-Dx=1", "-jar", "a.jar");

        assertThat(JavaProgram.find(ENV, List.of("env", "java"), Map.of("PATH", "/nowhere"), null))
                .as("not on the PATH the wrapper searches").isNull();
        assertThat(JavaProgram.find(ENV, List.of("env", "nice", java.toString(), "-version"), Map.of(), null).command())
                .containsExactly(java.toString(), "-version");
        assertThat(JavaProgram.find(Path.of("/usr/bin/perl"), List.of("perl", "server.pl"), Map.of("PATH", bin.toString()),
                null)).isNull();
    }

    @Test
    void aShellStringThatExecsJavaIsRenderedBackWithTheOptionsInIt() {
        Map<String, String> env = Map.of("PATH", bin.toString(), "JAVA_OPTS", "-Xmx1g  -Da=b", "APP", "/srv/my app.jar");
        JavaProgram found = JavaProgram.find(SH, List.of("sh", "-c", "exec nice java $JAVA_OPTS -jar \"$APP\"", "zero"),
                env, "/srv");
        assertThat(found.java()).isEqualTo(java);
        assertThat(found.command()).containsExactly("java", "-Xmx1g", "-Da=b", "-jar", "/srv/my app.jar");
        assertThat(found.directory()).isEqualTo("/srv");
        assertThat(found.argv(List.of("java", "-XX:AOTCache=/c/k.aot", "-Xmx1g", "-Da=b", "-jar", "/srv/my app.jar")))
                .containsExactly("sh", "-c", "exec nice java -XX:AOTCache=/c/k.aot -Xmx1g -Da=b -jar '/srv/my app.jar'",
                        "zero");
        // the Dockerfile idiom: ENTRYPOINT ["sh", "-c", "exec java ... \"$@\"", "--"] and CMD's arguments
        JavaProgram entrypoint = JavaProgram.find(SH, List.of("sh", "-c", "exec java $JAVA_OPTS \"$@\"", "--", "-jar",
                "a.jar"), env, null);
        assertThat(entrypoint.command()).containsExactly("java", "-Xmx1g", "-Da=b", "-jar", "a.jar");
        assertThat(entrypoint.argv(List.of("java", "-Dx=1", "-jar", "a.jar")))
                .containsExactly("sh", "-c", "exec java -Dx=1 -jar a.jar", "--", "-jar", "a.jar");
        // a wrapper in front of the shell changes what the string expands to
        assertThat(JavaProgram.find(ENV, List.of("env", "JAVA_OPTS=-Dz=1", "sh", "-c", "exec java $JAVA_OPTS Main"), env,
                null).command()).containsExactly("java", "-Dz=1", "Main");
    }

    @Test
    void aShellStringThatIsMoreThanOneExecedCommandIsLeftAsGiven() {
        Map<String, String> env = Map.of("PATH", bin.toString());
        for (String string : List.of("java -jar a.jar", "cd /srv && exec java -jar a.jar", "exec java -jar *.jar",
                "exec java $(cat opts) -jar a.jar", "exec sh -c 'exec java'", "exec perl s.pl", "exec")) {
            assertThat(JavaProgram.find(SH, List.of("sh", "-c", string), env, null)).as(string).isNull();
        }
        assertThat(JavaProgram.find(SH, List.of("sh", "-ec", "exec java"), env, null)).isNull();
        assertThat(JavaProgram.find(Path.of("/bin/zsh"), List.of("zsh", "-c", "exec java"), env, null)).isNull();
    }
}
