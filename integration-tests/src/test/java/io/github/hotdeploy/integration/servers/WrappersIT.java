package io.github.hotdeploy.integration.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.hotdeploy.integration.support.App;
import io.github.hotdeploy.integration.support.Apps;
import io.github.hotdeploy.testsupport.Jdk;
import io.github.hotdeploy.testsupport.StartServerRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Java started the way production starts it, through a wrapper (a Docker CMD in shell form, a
 * priority or CPU setting, a user switch, an init for containers, jsvc's JNI launch, a launcher
 * script in another language): start_server cannot tell from the program that a JVM will run,
 * yet the JVM gets the agent (JAVA_TOOL_OPTIONS), adopts the socket, says it is ready, and hands
 * over on HUP. One cheap server (the JDK's httpserver), JDK 17 (or {@code -Dit.jdk=25}), one start
 * and one HUP per case.
 *
 * <p>By default (CI) one chain per way a wrapper can stand between start_server and the JVM:
 * programs that exec it, one after the other, across interpreters ({@link #EXEC_CHAIN}); an init
 * that forks it and forwards signals, with a user switch behind it ({@link #FORK_CHAIN}); a JVM
 * created through JNI in the wrapper's own process (jsvc, which keeps SIGTERM for itself and calls
 * the daemon's stop(), which the agent makes drain first). With {@code -Dit.matrix=full} each
 * wrapper alone as well (scripts/wrappers-matrix.sh). Each wrapper is a Debian package installed
 * by .ci/run; one that is missing, or a user switch while the tests do not run as root, is skipped
 * with a message.
 */
class WrappersIT extends HotDeployTestBase {

    private static final String NOBODY = "nobody";
    private static final List<String> USER_SWITCHES = List.of("chpst", "setuidgid", "runuser", "gosu", "su");

    /** Interpreters and the shell exec'ing each other: {@code python3 -> sh -c -> env -> nice -> java}. */
    static final String EXEC_CHAIN = "python, sh -c, env, nice";
    /** An init that forks the JVM and forwards signals, then a user switch: {@code tini -> gosu nobody -> java}. */
    static final String FORK_CHAIN = "tini, gosu";

    private App current;
    private String currentName = "";

    @Override
    protected App app() {
        return current;
    }

    @Override
    protected String caseName() {
        return "-" + currentName;
    }

    /** jsvc handles SIGTERM itself and calls the daemon's stop(): the agent drains on entry of that call. */
    @Override
    protected void served(int generation, long jvmPid, StartServerRun run) {
        if (currentName.equals("jsvc")) {
            assertThat(run.log()).as("the agent's line about jsvc").contains("start_server-agent: this JVM runs"
                    + " inside jsvc, which handles SIGTERM itself: the drain runs when jsvc calls the daemon's stop()");
        }
    }

    static Stream<Arguments> wrappers() {
        List<Arguments> cases = new ArrayList<>();
        cases.add(wrapper(EXEC_CHAIN, List.of("/usr/bin/python3", "/bin/sh", "/usr/bin/env", "/usr/bin/nice"),
                (java, jdk, work) -> prefixed(List.of("/bin/sh", "-c", "exec env FROM_A_WRAPPER=1 nice -n 5 "
                        + Apps.shellQuoted(java)), "python3", "-c", "import os, sys; os.execvp(sys.argv[1], sys.argv[1:])")));
        cases.add(wrapper(FORK_CHAIN, List.of("/usr/bin/tini", "/usr/sbin/gosu"),
                (java, jdk, work) -> prefixed(java, "tini", "-s", "--", "gosu", NOBODY)));
        cases.add(wrapper("jsvc", List.of("/usr/bin/jsvc"), WrappersIT::jsvc));
        if ("full".equals(System.getProperty("it.matrix"))) {
            cases.addAll(eachAlone());
        }
        return cases.stream();
    }

    /** Every wrapper of issue 15 that Debian packages, alone in front of java. */
    private static List<Arguments> eachAlone() {
        List<Arguments> cases = new ArrayList<>();
        cases.add(wrapper("sh -c", "/bin/sh", (java, jdk, work) -> List.of("/bin/sh", "-c", "exec " + Apps.shellQuoted(java))));
        cases.add(wrapper("env", "/usr/bin/env", (java, jdk, work) -> prefixed(java, "env", "FROM_A_WRAPPER=1")));
        cases.add(wrapper("nice", "/usr/bin/nice", (java, jdk, work) -> prefixed(java, "nice", "-n", "5")));
        cases.add(wrapper("ionice", "/usr/bin/ionice", (java, jdk, work) -> prefixed(java, "ionice", "-c", "2", "-n", "7")));
        cases.add(wrapper("taskset", "/usr/bin/taskset", (java, jdk, work) -> prefixed(java, "taskset", "-c",
                "0-" + (Runtime.getRuntime().availableProcessors() - 1))));
        cases.add(wrapper("numactl", "/usr/bin/numactl", (java, jdk, work) -> prefixed(java, "numactl", "--localalloc")));
        cases.add(wrapper("setsid", "/usr/bin/setsid", (java, jdk, work) -> prefixed(java, "setsid")));
        cases.add(wrapper("authbind", "/usr/bin/authbind", (java, jdk, work) -> prefixed(java, "authbind", "--deep")));
        cases.add(wrapper("tini", "/usr/bin/tini", (java, jdk, work) -> prefixed(java, "tini", "-s", "--")));
        cases.add(wrapper("dumb-init", "/usr/bin/dumb-init", (java, jdk, work) -> prefixed(java, "dumb-init")));
        cases.add(wrapper("chpst", "/usr/bin/chpst", (java, jdk, work) -> prefixed(java, "chpst", "-u", NOBODY)));
        cases.add(wrapper("setuidgid", "/usr/bin/setuidgid", (java, jdk, work) -> prefixed(java, "setuidgid", NOBODY)));
        cases.add(wrapper("runuser", "/usr/sbin/runuser", (java, jdk, work) -> prefixed(java, "runuser", "-u", NOBODY, "--")));
        cases.add(wrapper("gosu", "/usr/sbin/gosu", (java, jdk, work) -> prefixed(java, "gosu", NOBODY)));
        // su runs the command through a shell, -c's one word; nobody's login shell is nologin.
        cases.add(wrapper("su -c", "/bin/su", (java, jdk, work) -> List.of("su", "-c", "exec " + Apps.shellQuoted(java))));
        cases.add(wrapper("su -s sh nobody -c", "/bin/su", (java, jdk, work) -> List.of("su", "-s", "/bin/sh", NOBODY, "-c",
                "exec " + Apps.shellQuoted(java))));
        cases.add(wrapper("python launcher", "/usr/bin/python3", (java, jdk, work) -> prefixed(java, "python3", "-c",
                "import os, sys; os.execvp(sys.argv[1], sys.argv[1:])")));
        cases.add(wrapper("perl launcher", "/usr/bin/perl", (java, jdk, work) -> prefixed(java, "perl", "-e", "exec @ARGV or die")));
        return cases;
    }

    private static Arguments wrapper(String name, String binary, Apps.Wrapper wrapper) {
        return wrapper(name, List.of(binary), wrapper);
    }

    private static Arguments wrapper(String name, List<String> binaries, Apps.Wrapper wrapper) {
        return Arguments.of(name, binaries, wrapper);
    }

    private static List<String> prefixed(List<String> java, String... wrapper) {
        List<String> argv = new ArrayList<>(List.of(wrapper));
        argv.addAll(java);
        return argv;
    }

    /**
     * jsvc creates the JVM in its own process through JNI (JAVA_TOOL_OPTIONS is read there too),
     * running the app's main through commons-daemon's DaemonWrapper. jsvc refuses to start while
     * the pid in its pid file lives, so each generation gets its own; a shell puts the generation
     * in its name. (DaemonWrapper 1.0.15 drops the first argument after "--".)
     */
    private static List<String> jsvc(List<String> java, Jdk jdk, Path work) {
        Path daemon = Path.of("/usr/share/java/commons-daemon.jar");
        assumeTrue(Files.isReadable(daemon), "no " + daemon + " (Debian's libcommons-daemon-java)");
        int jar = java.indexOf("-jar");
        List<String> options = new ArrayList<>(java.subList(1, jar));
        String appJar = java.get(jar + 1);
        String portOption = java.stream().filter(arg -> arg.startsWith("--port=")).findFirst().orElseThrow();
        List<String> jsvc = new ArrayList<>(List.of("/usr/bin/jsvc", "-nodetach", "-java-home", jdk.home().toString(),
                "-outfile", "&2", "-errfile", "&2", "-pidfile", "PIDFILE"));
        jsvc.addAll(options);
        jsvc.addAll(List.of("-cp", daemon + ":" + appJar, "org.apache.commons.daemon.support.DaemonWrapper",
                "-start", "io.github.hotdeploy.testapps.httpserver.HttpServerApp", "-start-method", "main",
                "--", "ignored", portOption));
        String command = Apps.shellQuoted(jsvc).replace("'PIDFILE'", "\"$0/jsvc-$SERVER_STARTER_GENERATION.pid\"");
        return List.of("/bin/sh", "-c", "exec " + command, work.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrappers")
    void handsOverThrough(String name, List<String> binaries, Apps.Wrapper wrapper) throws Exception {
        for (String binary : binaries) {
            assumeTrue(Files.isExecutable(Path.of(binary)), name + ": " + binary + " is not installed");
            if (USER_SWITCHES.contains(Path.of(binary).getFileName().toString())) {
                assumeTrue("root".equals(System.getProperty("user.name")), name + " switches to " + NOBODY + ": needs root");
            }
        }
        currentName = name.replaceAll("[^A-Za-z0-9]+", "-");
        current = Apps.httpServerThrough(name, wrapper);
        hotDeploy(Jdk.of(System.getProperty("it.jdk", "17")));
    }
}
