package io.github.hotdeploy.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.hotdeploy.agent.it.apps.FixtureServer;
import io.github.hotdeploy.agent.it.support.Jdks;
import io.github.hotdeploy.agent.it.support.StartServer;
import io.github.hotdeploy.testsupport.FreePorts;
import io.github.hotdeploy.testsupport.ManagedProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the agent loads from its own jar before the application serves. None of it can come from a
 * class cache (the JVM appends an agent's jar to the class path at run time, a location the AOT
 * cache and dynamic CDS do not take), so every class is paid for on every restart
 * (docs/benchmarks/classcache.md). The drain's classes load at the stop, not before; the total
 * stays under a ceiling. Counted with {@code -Xlog:class+load}, no timing: valid on a loaded
 * machine. The app is the fixture's httpserver, with a notify fd (the notify harness, as in
 * {@link ReadinessIT}): the full start-up path, readiness included.
 */
class StartUpClassesIT {

    /**
     * Counted 2026-12-07 on JDK 17 and 25: 77 (91 before the drain's classes moved to the stop).
     * A class more needs a reason, and the table in docs/benchmarks/classcache.md updated.
     */
    static final int CEILING = 80;

    /** The drain's classes that load at start-up: what records adoptions, and the signal handler. */
    static final Set<String> DRAIN_AT_START_UP = Set.of("drain.AdoptedListeners", "drain.AdoptedListeners$Adopted",
            "drain.DrainTrigger", "drain.TermInterceptor", "drain.SunMiscTermInterceptor",
            "drain.SunMiscTermInterceptor$1");

    static List<String> jdks() {
        return Jdks.versions();
    }

    @ParameterizedTest(name = "JDK {0}")
    @MethodSource("jdks")
    void theDrainsClassesLoadAtTheStopAndTheRestStaysUnderTheCeiling(String jdk, @TempDir Path logs)
            throws Exception {
        int port = FreePorts.tcp();
        List<String> command = new ArrayList<>();
        command.add("perl");
        command.add(Paths.get("target", "test-classes", "notify-harness.pl").toAbsolutePath().toString());
        command.add("--port=127.0.0.1:" + port);
        command.add("--");
        command.addAll(StartServer.javaCommand(Jdks.java(jdk),
                Collections.singletonList("-Xlog:class+load=info:file=" + logs.resolve("class-load-%p.log")),
                Jdks.fixtureClassPath(), FixtureServer.class.getName(), "httpserver", "127.0.0.1:" + port));
        try (ManagedProcess harness = ManagedProcess.start(command, StartServer.none())) {
            long app = harness.awaitOnlyChild();
            harness.awaitOutput("notify: READY=1");
            AdoptionIT.awaitAnswerFrom(app, "httpserver", port);
            Path log = logs.resolve("class-load-" + app + ".log");
            // The drain's set-up runs on a thread of its own; its last class is the signal handler.
            await("the drain's set-up").atMost(ManagedProcess.PATIENCE)
                    .until(() -> agentClasses(log).contains("drain.SunMiscTermInterceptor$1"));
            List<String> serving = agentClasses(log);

            harness.signal("TERM");
            await("the app's exit after its drain").atMost(ManagedProcess.PATIENCE).until(() -> !harness.isAlive());
            assertThat(harness.output()).contains("start_server-agent: drain (pid " + app + "): done");
            // The check below has teeth: the drain's classes are in the log, once the stop came.
            assertThat(agentClasses(log)).as("loaded by the end")
                    .contains("drain.Drain", "drain.DrainWrites", "drain.Connections");

            assertThat(serving.stream().filter(name -> name.startsWith("drain.")).collect(Collectors.toList()))
                    .as("the drain's classes loaded while serving, before the stop").isSubsetOf(DRAIN_AT_START_UP);
            assertThat(serving).as("the agent's classes loaded while serving (%d)", serving.size())
                    .hasSizeLessThanOrEqualTo(CEILING);
        }
    }

    /** The agent's classes in a class+load log, in load order, without "io.github.hotdeploy.agent.". */
    static List<String> agentClasses(Path log) throws IOException {
        if (!Files.exists(log)) {
            return Collections.emptyList();
        }
        String jar = Paths.get(Jdks.agentJar()).getFileName().toString();
        List<String> classes = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            int source = line.indexOf(" source: ");
            if (source < 0 || !line.endsWith(jar)) {
                continue;
            }
            String name = line.substring(line.lastIndexOf(' ', source - 1) + 1, source);
            classes.add(name.startsWith("io.github.hotdeploy.agent.") ? name.substring("io.github.hotdeploy.agent.".length())
                    : name);
        }
        return classes;
    }
}
