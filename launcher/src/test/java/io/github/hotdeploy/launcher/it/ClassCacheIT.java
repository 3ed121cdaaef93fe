package io.github.hotdeploy.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.hotdeploy.testsupport.FreePorts;
import io.github.hotdeploy.testsupport.StartServerRun;
import io.github.hotdeploy.testsupport.Waits;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class cache end to end, on the test's JDK (17 in CI): generation 1 records its class list,
 * start_server makes the archive in the background once it exited (a JVM of its own, reaped on
 * SIGCHLD), and generation 3 maps it. Without the agent, which would have start_server wait for a
 * READY=1 this fixture (an inherited channel) never gives; the agent's case is measured in
 * bench/classcache. Also behind env and nice, and exec'ed by sh -c, which start_server sees through. The build's other tests run with the cache off (the root pom); this one turns
 * it on with the option.
 */
class ClassCacheIT {
    /** Making the archive runs at nice 19: on a loaded machine it waits for idle CPU. */
    private static final Duration ASSEMBLY = Duration.ofMinutes(4);

    @RegisterExtension
    final Launcher launcher = new Launcher();

    @TempDir
    Path tmp;

    /** The Java fixture compiled into a jar: the JVM archives classes from jars only. */
    private Path fixtureJar() throws Exception {
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
                Fixtures.resource("InheritedChannelServer.java").toString());
        assertThat(status).isZero();
        Path jar = tmp.resolve("fixture.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            j.putNextEntry(new JarEntry("InheritedChannelServer.class"));
            j.write(Files.readAllBytes(classes.resolve("InheritedChannelServer.class")));
            j.closeEntry();
        }
        return jar;
    }

    /**
     * java run directly; behind exec wrappers that start_server sees through (ExecWrappers), found
     * on their PATH; exec'ed by a sh -c string with a variable in it (ShellCommand).
     */
    static Stream<String> forms() {
        return Stream.of("directly", "behind env and nice", "by sh -c");
    }

    @ParameterizedTest
    @MethodSource("forms")
    void aLaterGenerationMapsTheArchiveMadeFromWhatTheFirstLoaded(String form) throws Exception {
        assumeTrue(launcher.impl() == Impl.OURS, "a class cache is ours only");
        int port = FreePorts.tcp();
        Path jdkBin = Paths.get(System.getProperty("java.home"), "bin");
        String path = jdkBin + ":/usr/bin:/bin";
        String fixture = fixtureJar().toString();
        List<String> command = switch (form) {
            case "directly" -> List.of(jdkBin.resolve("java").toString(), "-XX:TieredStopAtLevel=1", "-cp", fixture,
                    "InheritedChannelServer");
            case "behind env and nice" -> List.of("env", "PATH=" + path, "FROM_A_WRAPPER=1", "nice", "-n", "1", "java",
                    "-XX:TieredStopAtLevel=1", "-cp", fixture, "InheritedChannelServer");
            // as a Dockerfile's ENTRYPOINT ["sh", "-c", "exec java ... \"$@\"", "--"] with CMD's arguments
            default -> List.of("/bin/sh", "-c", "exec nice -n 1 java $JVM_OPTIONS -cp '" + fixture + "' \"$@\"", "--",
                    "InheritedChannelServer");
        };
        List<String> arguments = new ArrayList<>(List.of("--port=127.0.0.1:" + port + "=0", "--interval=0", "--java-agent=off",
                "--class-cache=auto", "--cache-dir=" + tmp.resolve("cache"), "--pid-file=" + tmp.resolve("pid"), "--"));
        arguments.addAll(command);
        StartServerRun run = launcher.spec().args(arguments).env("PATH", path)
                .env("JVM_OPTIONS", "-XX:TieredStopAtLevel=1 -Dfrom.a.shell=yes").start();
        run.awaitLine("class cache: generation 1 records what it loads");
        run.awaitLine("^java fixture \\d+ gen 1 serving$");

        run.signal("HUP");
        run.awaitLine("class cache: generation 2 boots cold");
        Waits.until("the archive made from what generation 1 loaded", ASSEMBLY,
                () -> run.indexOf("class cache: made .*\\.jsa .*from what generation 1 loaded") >= 0
                        ? Optional.of(true) : Optional.empty(), run::describe);

        run.signal("HUP");
        run.awaitLine("class cache: generation 3 boots from .*\\.jsa");
        run.awaitLine("^java fixture \\d+ gen 3 serving$");
        long third = run.awaitWorker(3);
        assertThat(Files.readString(Path.of("/proc/" + third + "/cmdline"))).as("the wrappers exec'ed java")
                .matches("^(" + jdkBin + "/)?java\0.*");
        assertThat(Files.readString(Path.of("/proc/" + third + "/maps"))).as("generation 3 maps the archive")
                .contains(tmp.resolve("cache").toString()).contains(".jsa");
        assertThat(Client.awaitGeneration(run, port, 3).pid()).isEqualTo(third);
        String status = Waits.until("--status showing generation 3 serving", Duration.ofSeconds(30), () -> {
            String out = String.join("\n", launcher.run("--status", "--pid-file=" + tmp.resolve("pid")).stdout());
            return out.matches("(?s).*generation 3 +pid " + third + " +serving .*") ? Optional.of(out) : Optional.empty();
        }, () -> "");
        assertThat(status).containsPattern("generation 3 +pid " + third + " +serving .*, booted from the class cache\n");
        try (var files = Files.list(tmp.resolve("cache"))) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no recording left over")
                    .noneMatch(name -> name.contains(".part"));
        }
    }

    @Test
    void aShellStringIsReadAgainForEachGenerationWithTheEnvdirOfThatMoment() throws Exception {
        assumeTrue(launcher.impl() == Impl.OURS, "a class cache is ours only");
        int port = FreePorts.tcp();
        Path envdir = Files.createDirectory(tmp.resolve("env"));
        Files.writeString(envdir.resolve("JVM_OPTIONS"), "-XX:TieredStopAtLevel=1\n");
        Path jdkBin = Paths.get(System.getProperty("java.home"), "bin");
        StartServerRun run = launcher.spec().env("PATH", jdkBin + ":/usr/bin:/bin").args("--port=127.0.0.1:" + port + "=0",
                "--interval=0", "--java-agent=off", "--class-cache=auto", "--cache-dir=" + tmp.resolve("cache"),
                "--envdir=" + envdir, "--", "sh", "-c", "exec java $JVM_OPTIONS -cp " + fixtureJar() + " InheritedChannelServer")
                .start();
        run.awaitLine("class cache: generation 1 records what it loads");
        run.awaitLine("^java fixture \\d+ gen 1 serving$");

        Files.writeString(envdir.resolve("JVM_OPTIONS"), "-XX:TieredStopAtLevel=1 -Dchanged=yes\n");
        run.signal("HUP");
        run.awaitLine("^java fixture \\d+ gen 2 serving$");
        assertThat(Files.readString(Path.of("/proc/" + run.awaitWorker(2) + "/cmdline"))).as("the new options")
                .contains("\0-Dchanged=yes\0");
        assertThat(run.log()).as("another command line, another cache").contains("class cache: generation 2 records what it loads");
    }

    @Test
    void aJvmAShellScriptStartsRunsColdAndStartServerSaysSo() throws Exception {
        assumeTrue(launcher.impl() == Impl.OURS, "a class cache is ours only");
        int port = FreePorts.tcp();
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        StartServerRun run = launcher.start(List.of("--port=127.0.0.1:" + port + "=0", "--interval=0", "--java-agent=off",
                "--class-cache=auto", "--cache-dir=" + tmp.resolve("cache"), "--", "/bin/sh", "-c",
                "cd / && exec '" + java + "' -cp '" + fixtureJar() + "' InheritedChannelServer"));
        run.awaitLine("^start_server: class cache: none for a JVM that /bin/sh starts: only java run as the program,"
                + " behind env, nice, ionice or taskset, or exec'ed by a sh -c string of one command gets one");
        run.awaitLine("^java fixture \\d+ gen 1 serving$");
        assertThat(run.log()).doesNotContain("generation 1 records");
    }
}
