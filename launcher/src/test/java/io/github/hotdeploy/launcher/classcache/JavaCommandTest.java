package io.github.hotdeploy.launcher.classcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JavaCommandTest {

    private static JavaCommand parse(String... args) {
        return JavaCommand.parse(List.of(args), Map.of());
    }

    @Test
    void theClassPathIsTheJarOrTheLastClassPathOptionUpToTheMainClass() {
        assertThat(parse("-Xmx1g", "-jar", "app.jar", "-cp", "ignored").classPath()).containsExactly("app.jar");
        assertThat(parse("-jar", "app.jar").jar()).isEqualTo("app.jar");
        assertThat(parse("-cp", "a.jar:lib/*", "Main", "-cp", "x").classPath()).containsExactly("a.jar", "lib/*");
        assertThat(parse("--class-path=a.jar", "Main").classPath()).containsExactly("a.jar");
        assertThat(parse("--add-opens", "java.base/java.lang=ALL-UNNAMED", "-classpath", "b.jar", "Main").classPath())
                .containsExactly("b.jar");
        assertThat(JavaCommand.parse(List.of("Main"), Map.of("CLASSPATH", "c.jar")).classPath()).containsExactly("c.jar");
        assertThat(parse("Main").classPath()).as("the JVM's default: the current directory").containsExactly(".");
    }

    @Test
    void commandsWhoseClassesCannotBeNamedHereOrThatManageSharingThemselvesAreLeftAlone() {
        assertThat(parse("-m", "app/app.Main").refusal()).contains("modular launch");
        assertThat(parse("--module=app/app.Main").refusal()).contains("modular launch");
        assertThat(parse("Hello.java").refusal()).contains("source file");
        assertThat(parse("@opts", "Main").refusal()).contains("@argfile");
        assertThat(parse("-XX:VMOptionsFile=f", "Main").refusal()).contains("from a file");
        assertThat(parse("-Xshare:off", "-jar", "a.jar").refusal()).contains("-Xshare:off");
        assertThat(parse("-XX:SharedArchiveFile=x.jsa", "-jar", "a.jar").refusal()).contains("manages class data sharing");
        assertThat(parse("-XX:AOTCache=x.aot", "-jar", "a.jar").refusal()).contains("manages class data sharing");
        assertThat(parse("-jar", "a.jar", "-Xshare:off").refusal()).as("the application's own arguments").isNull();
        assertThat(JavaCommand.parse(List.of("-jar", "a.jar"), Map.of("JAVA_TOOL_OPTIONS", "-XX:AOTMode=off")).refusal())
                .startsWith("JAVA_TOOL_OPTIONS manages class data sharing");
        assertThat(JavaCommand.parse(List.of("Main"), Map.of("JDK_JAVA_OPTIONS", "--class-path x.jar")).refusal())
                .startsWith("JDK_JAVA_OPTIONS sets the class path");
    }
}
