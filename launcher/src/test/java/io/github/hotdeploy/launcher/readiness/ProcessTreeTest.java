package io.github.hotdeploy.launcher.readiness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessTreeTest {

    private static final String AGENT = "/opt/start_server/lib/server-starter-agent.jar";

    @Test
    void aJvmIsAProcessWithLibjvmMapped() throws Exception {
        assertThat(ProcessTree.isJvm(Files.readString(Path.of("/proc/self/maps")))).as("this test's JVM").isTrue();
        Process sleep = new ProcessBuilder("sleep", "30").start();
        try {
            assertThat(ProcessTree.isJvm(Files.readString(Path.of("/proc/" + sleep.pid() + "/maps")))).isFalse();
        } finally {
            sleep.destroy();
        }
    }

    @Test
    void onlyJavaToolOptionsThatCarryThisAgentCount() {
        assertThat(ProcessTree.givenAgent("PATH=/bin\0JAVA_TOOL_OPTIONS=-Xmx1g -javaagent:" + AGENT + "=drainTimeoutMs=30000\0",
                AGENT)).isTrue();
        assertThat(ProcessTree.givenAgent("JAVA_TOOL_OPTIONS=-javaagent:/elsewhere/agent.jar\0", AGENT)).isFalse();
        assertThat(ProcessTree.givenAgent("JAVA_OPTS=-javaagent:" + AGENT + "\0", AGENT)).isFalse();
        assertThat(ProcessTree.givenAgent("", AGENT)).isFalse();
    }

    @Test
    void aJvmBehindAWrapperGivenTheAgentIsFoundUnderItsWorker(@TempDir Path work) throws Exception {
        Path sleeper = work.resolve("Sleeper.java");
        Files.writeString(sleeper, "class Sleeper { public static void main(String[] a) throws Exception {"
                + " Thread.sleep(60000); } }");
        String java = ProcessHandle.current().info().command().orElseThrow();
        // The JVM must start: the property only carries the agent's option text, as the check reads it.
        String options = "-Dprobe=-javaagent:" + AGENT;
        Process shell = start(List.of("sh", "-c", "sleep 30"), options);
        Process wrapped = start(List.of("sh", "-c", "\"$0\" \"$1\"; :", java, sleeper.toString()), options);
        try {
            assertThat(ProcessTree.jvmGivenAgent(shell.pid(), Path.of(AGENT))).as("no JVM under sh -c sleep").isEmpty();
            await().atMost(Duration.ofSeconds(60)).until(() -> ProcessTree.jvmGivenAgent(wrapped.pid(), Path.of(AGENT))
                    .isPresent());
            long jvm = ProcessTree.jvmGivenAgent(wrapped.pid(), Path.of(AGENT)).getAsLong();
            assertThat(jvm).as("the JVM, a child of the shell").isNotEqualTo(wrapped.pid());
            assertThat(ProcessTree.isDescendant(jvm, wrapped.pid())).isTrue();
            assertThat(ProcessTree.jvmGivenAgent(wrapped.pid(), Path.of("/elsewhere/agent.jar"))).isEmpty();
        } finally {
            for (Process p : List.of(shell, wrapped)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }

    private static Process start(List<String> command, String javaToolOptions) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("JAVA_TOOL_OPTIONS", javaToolOptions);
        return pb.start();
    }
}
