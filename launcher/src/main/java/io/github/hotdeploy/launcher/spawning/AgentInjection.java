package io.github.hotdeploy.launcher.spawning;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The JVM option that loads the agent into a {@code java} command line.
 *
 * <p>{@code -javaagent:JAR} also makes the JVM add {@code java.instrument} to its root modules,
 * as {@code --add-modules} would, and a JVM whose module options differ from those its CDS archive
 * was dumped with rebuilds its module graph at start-up instead of mapping the archived one. That
 * is paid on every restart: 25-45 ms of wall time and 58-72 ms of CPU for a minimal app on JDK 17
 * and 25 (docs/agent.md, start-up). {@code -agentlib:instrument=JAR} loads the same agent through
 * the same library without touching the module options.
 *
 * <p>It needs {@code java.instrument} in the boot layer, which a class-path launch has by default
 * (the module exports an API). A modular launch ({@code -m}), {@code --limit-modules}, or a
 * runtime image without the module would make that JVM abort at start-up instead, so whenever the
 * command or its environment might be one of those, or the runtime cannot be read, the agent goes
 * in as {@code -javaagent:}, which always starts; so it does on JDK 8, which has no module graph.
 */
public final class AgentInjection {

    /** Arguments (or their prefixes) after which java.instrument may not be in the boot layer. */
    private static final List<String> MODULE_GRAPH_ARGUMENTS = List.of("-m", "--module", "--limit-modules",
            "--upgrade-module-path", "-Djdk.module.", "-XX:VMOptionsFile", "-XX:Flags");
    /** The same in the launcher's and the JVM's option variables, which may also name an @argfile. */
    private static final List<String> MODULE_GRAPH_TEXT = List.of("--module", "limit-modules", "limitmods",
            "upgrade-module-path", "upgrade.path", "jdk.module.main", "VMOptionsFile", "-XX:Flags", "@", "-m ");
    private static final List<String> OPTION_VARIABLES = List.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS");

    private AgentInjection() {
    }

    /**
     * The option for {@code java} started with {@code arguments} and {@code environment}:
     * {@code -agentlib:instrument=JAR[=OPTIONS]} where that is certain to start, else
     * {@code -javaagent:JAR[=OPTIONS]}.
     */
    public static String option(Path java, List<String> arguments, Map<String, String> environment, Path agentJar,
            String agentOptions) {
        return keepsInstrumentModule(java, arguments, environment)
                ? "-agentlib:instrument=" + target(agentJar, agentOptions) : javaagent(agentJar, agentOptions);
    }

    /** {@code -javaagent:JAR[=OPTIONS]}, the form every JVM starts with. */
    public static String javaagent(Path agentJar, String agentOptions) {
        return "-javaagent:" + target(agentJar, agentOptions);
    }

    private static String target(Path agentJar, String agentOptions) {
        return agentJar + (agentOptions.isEmpty() ? "" : "=" + agentOptions);
    }

    static boolean keepsInstrumentModule(Path java, List<String> arguments, Map<String, String> environment) {
        // Every argument, the application's too: a false alarm only costs the classic form.
        for (String arg : arguments) {
            if (arg.startsWith("@") || MODULE_GRAPH_ARGUMENTS.stream().anyMatch(risky -> arg.equals(risky)
                    || arg.startsWith(risky + "=") || risky.endsWith(".") && arg.startsWith(risky))) {
                return false;
            }
        }
        for (String variable : OPTION_VARIABLES) {
            String value = environment.get(variable);
            if (value != null && MODULE_GRAPH_TEXT.stream().anyMatch(value::contains)) {
                return false;
            }
        }
        return modularRuntimeWithInstrument(java);
    }

    /**
     * From the runtime's {@code release} file: a modular runtime that has java.instrument. JDK 8
     * has no module graph to keep, so it gets the classic form too.
     */
    static boolean modularRuntimeWithInstrument(Path javaExecutable) {
        try {
            Path home = javaExecutable.toRealPath().getParent().getParent();
            for (String line : Files.readAllLines(home.resolve("release"))) {
                if (line.startsWith("MODULES=")) {
                    String modules = line.substring("MODULES=".length()).replace("\"", "");
                    return Arrays.asList(modules.trim().split("\\s+")).contains("java.instrument");
                }
            }
            return false;
        } catch (IOException | RuntimeException unreadable) {
            return false;
        }
    }
}
