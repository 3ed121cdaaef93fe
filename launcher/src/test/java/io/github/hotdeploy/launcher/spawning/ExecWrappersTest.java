package io.github.hotdeploy.launcher.spawning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecWrappersTest {
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin", "HOME", "/root");

    private static ExecWrappers.Wrapped peel(String... argv) {
        return ExecWrappers.peel(List.of(argv), ENV, "/srv/app");
    }

    @Test
    void aCommandWithoutWrapperIsItsOwnProgram() {
        assertThat(peel("java", "-jar", "app.jar")).isEqualTo(new ExecWrappers.Wrapped(0, ENV, "/srv/app"));
    }

    @Test
    void envSetsUnsetsClearsAndChangesDirectoryAsGnuEnvDoes() {
        ExecWrappers.Wrapped w = peel("/usr/bin/env", "-u", "HOME", "--unset=NOPE", "-C", "sub", "A=1", "B=x=y", "java", "-jar", "a.jar");
        assertThat(w.index()).isEqualTo(8);
        assertThat(w.environment()).isEqualTo(Map.of("PATH", "/usr/bin:/bin", "A", "1", "B", "x=y"));
        assertThat(w.directory()).isEqualTo("/srv/app/sub");

        w = peel("env", "-i", "PATH=/opt/jdk/bin", "java");
        assertThat(w.index()).isEqualTo(3);
        assertThat(w.environment()).isEqualTo(Map.of("PATH", "/opt/jdk/bin"));

        assertThat(peel("env", "-iuHOME", "--chdir=/opt", "--", "java").directory()).isEqualTo("/opt");
        assertThat(peel("env", "-iuHOME", "--chdir=/opt", "--", "java").index()).isEqualTo(4);
        // a lone "-" is -i, and ends the options: what follows is the command
        ExecWrappers.Wrapped dash = peel("env", "-", "-u", "X");
        assertThat(dash.index()).isEqualTo(2);
        assertThat(dash.environment()).isEmpty();
    }

    @Test
    void wrappersNestInAnyOrder() {
        ExecWrappers.Wrapped w = peel("nice", "-n", "5", "env", "A=1", "ionice", "-c", "2", "-n7", "taskset", "-c", "0-1",
                "java", "-version");
        assertThat(w.index()).isEqualTo(12);
        assertThat(w.environment()).containsEntry("A", "1");
        assertThat(peel("nice", "-10", "java").index()).isEqualTo(2);
        assertThat(peel("nice", "--adjustment=3", "--", "java").index()).isEqualTo(3);
        assertThat(peel("ionice", "--class=idle", "-t", "java").index()).isEqualTo(3);
        assertThat(peel("taskset", "-ac", "--", "0-3", "java").index()).isEqualTo(4);
        assertThat(peel("taskset", "0x3", "java").index()).isEqualTo(2);
    }

    @Test
    void anythingNotUnderstoodLeavesTheCommandAsGiven() {
        assertThat(peel("env", "-S", "java -jar a.jar")).isNull();
        assertThat(peel("env", "-v", "java")).isNull();
        assertThat(peel("env", "--ignore-env", "java")).as("getopt's abbreviations are not read").isNull();
        assertThat(peel("env", "A=1")).as("env printing its environment").isNull();
        assertThat(peel("env", "=1", "java")).isNull();
        assertThat(peel("env", "-u")).isNull();
        assertThat(peel("ionice", "-p", "42")).isNull();
        assertThat(peel("taskset", "-p", "0x3", "42")).isNull();
        assertThat(peel("taskset", "0x3")).isNull();
        assertThat(peel("nice")).as("nice printing its niceness").isNull();
        assertThat(peel("nice", "-x", "java")).isNull();
    }

    @Test
    void programsThatAreNotExecWrappersAreNotSeenThrough() {
        for (String program : List.of("sh", "gosu", "tini", "setsid", "su", "runuser", "chpst", "sudo")) {
            assertThat(peel(program, "java").index()).as(program).isZero();
        }
    }
}
