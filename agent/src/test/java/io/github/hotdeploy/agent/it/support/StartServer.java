package io.github.hotdeploy.agent.it.support;

import io.github.hotdeploy.testsupport.ManagedProcess;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Builds launcher command lines. The launcher is the Perl original by default; set
 * {@code -Dstart_server.command=/path/to/launcher/target/dist/bin/start_server} to run the same
 * tests against ours (the protocol is the same). Ours injects an agent itself; with
 * {@code -Dstart_server.injects-agent=true} the tests let it inject the jar under test
 * ({@code --java-agent=JAR}) instead of adding {@code -javaagent} to the command.
 */
public final class StartServer {

    private StartServer() {
    }

    public static List<String> launcher() {
        return Arrays.asList(System.getProperty("start_server.command", "start_server").trim().split("\\s+"));
    }

    /** start_server OPTIONS -- java -javaagent:AGENT JVM_OPTIONS -cp CP MAIN ARGS */
    public static ManagedProcess start(List<String> launcherOptions, String java, List<String> jvmOptions,
            String classPath, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(launcher());
        command.addAll(launcherOptions);
        boolean launcherInjects = Boolean.getBoolean("start_server.injects-agent");
        if (launcherInjects) {
            command.add("--java-agent=" + Jdks.agentJar());
        }
        command.add("--");
        List<String> app = javaCommand(java, jvmOptions, classPath, mainClass, args);
        if (launcherInjects) {
            app.remove("-javaagent:" + Jdks.agentJar());
        }
        command.addAll(app);
        return ManagedProcess.start(command, Collections.emptyMap());
    }

    public static List<String> javaCommand(String java, List<String> jvmOptions, String classPath, String mainClass,
            String... args) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.add("-Xshare:auto");
        command.add("-XX:TieredStopAtLevel=1"); // quicker start on a busy two-core machine
        command.add("-javaagent:" + Jdks.agentJar());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(Arrays.asList(args));
        return command;
    }

    public static Map<String, String> none() {
        return Collections.emptyMap();
    }
}
