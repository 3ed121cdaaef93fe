package io.github.hotdeploy.launcher.spawning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShellCommandTest {
    private static final Map<String, String> ENV = Map.of("OPTS", " -Xmx1g\t-Dq='x' ", "EMPTY", "", "GLOB", "-Da=*",
            "SPACED", "a  b");

    private static List<String> words(String command) {
        return ShellCommand.words(command, ENV, List.of());
    }

    @Test
    void wordsAreSplitQuotedAndExpandedAsTheShellDoes() {
        assertThat(words("exec java  -jar app.jar")).containsExactly("exec", "java", "-jar", "app.jar");
        assertThat(words("exec java $OPTS -jar a.jar")).containsExactly("exec", "java", "-Xmx1g", "-Dq='x'", "-jar", "a.jar");
        assertThat(words("a$EMPTY b ${EMPTY} $UNSET c")).containsExactly("a", "b", "c");
        assertThat(words("x'' \"\" ${EMPTY}")).as("a quoted empty word stays").containsExactly("x", "");
        assertThat(words("\"$SPACED\" '$SPACED' pre$SPACED")).containsExactly("a  b", "$SPACED", "prea", "b");
        assertThat(words("-D\"$GLOB\"")).as("no pathname expansion in quotes").containsExactly("-D-Da=*");
        assertThat(words("a'b c'\"d\"e")).containsExactly("ab cde");
        assertThat(words("a\\ b \\$OPTS")).containsExactly("a b", "$OPTS");
    }

    @Test
    void theArgumentsAfterTheStringArePositionalParameters() {
        List<String> positional = List.of("zero", "-jar", "my app.jar", "");
        assertThat(ShellCommand.words("exec java $OPTS \"$@\"", ENV, positional))
                .containsExactly("exec", "java", "-Xmx1g", "-Dq='x'", "-jar", "my app.jar", "");
        assertThat(ShellCommand.words("exec $0 ${2} $9 -D\"$1\"", ENV, positional))
                .containsExactly("exec", "zero", "my", "app.jar", "-D-jar");
        assertThat(ShellCommand.words("exec java \"$@\"", ENV, List.of())).containsExactly("exec", "java");
        assertThat(ShellCommand.words("exec $0", ENV, List.of())).as("the shell's own name").isNull();
        for (String command : List.of("exec java $@", "exec java $*", "exec java x\"$@\"", "exec java \"$@\"x",
                "exec java \"$*\"", "exec java ${123456}")) {
            assertThat(ShellCommand.words(command, ENV, positional)).as(command).isNull();
        }
    }

    @Test
    void anythingNeedingMoreOfTheShellIsUnreadable() {
        Map<String, String> withIfs = Map.of("IFS", ":");
        assertThat(ShellCommand.words("exec java", withIfs, List.of())).isNull();
        for (String command : List.of("exec java $GLOB", "exec java *.jar", "a;b", "a && b", "a | b", "a > log", "~/java",
                "exec java $(cat x)", "exec java `x`", "a \\", "exec java ${OPTS:-x}", "echo $?", "echo $@", "a # c",
                "'open", "\"open", "\"a\\\"b\"", "a\nb", "   ")) {
            assertThat(words(command)).as(command).isNull();
        }
    }

    @Test
    void variablesAreBytesAndReadAsTheJvmDecodesThem() {
        String notText = EnvBytes.of(new byte[] {(byte) 0xff, 'x'});
        assumeTrue(EnvBytes.toText(notText) == null, "a platform charset in which not every byte is text");
        assertThat(ShellCommand.words("exec java $BAD", Map.of("BAD", notText), List.of())).isNull();
        assumeTrue(EnvBytes.PLATFORM.equals(StandardCharsets.UTF_8), "UTF-8 names and arguments");
        assertThat(ShellCommand.words("exec java -Dname=$NAME", Map.of("NAME", EnvBytes.fromText("é")), List.of()))
                .containsExactly("exec", "java", "-Dname=é");
    }

    @Test
    void renderedWordsReadBackTheSame() {
        List<String> words = List.of("exec", "java", "-Dname=it's", "-Dempty=", "", "/srv/my app.jar", "a\"b", "$HOME", "*");
        String rendered = ShellCommand.render(words);
        assertThat(rendered).startsWith("exec java '-Dname=it'\\''s' -Dempty= '' '/srv/my app.jar'");
        assertThat(ShellCommand.words(rendered, Map.of(), List.of())).isEqualTo(words);
    }
}
