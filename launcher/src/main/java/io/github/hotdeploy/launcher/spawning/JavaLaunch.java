package io.github.hotdeploy.launcher.spawning;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether a command starts a JVM, and so whether the agent can be injected and readiness expected.
 * A {@code java} executable, the program or behind exec wrappers ({@link JavaProgram}), gets the agent option as
 * its first argument ({@link AgentInjection}) and a class cache; a script that
 * mentions java (catalina.sh, jetty.sh, a Spring Boot launch script) gets it through
 * JAVA_TOOL_OPTIONS, which every JVM it starts reads. Anything else gets it the same way, and is
 * waited for only once a JVM of it runs the agent.
 */
public enum JavaLaunch {
    JAVA_EXECUTABLE, JAVA_SCRIPT, OTHER;

    private static final int SCRIPT_PREFIX = 64 * 1024;

    /**
     * @param argv the command, program first
     * @param environment the child's environment
     * @param directory the child's working directory (null: start_server's)
     */
    public static JavaLaunch of(Path program, List<String> argv, Map<String, String> environment, String directory) {
        if (program == null) {
            return OTHER;
        }
        if (JavaProgram.find(program, argv, environment, directory) != null) {
            return JAVA_EXECUTABLE;
        }
        try (InputStream in = Files.newInputStream(program)) {
            byte[] head = in.readNBytes(SCRIPT_PREFIX);
            if (head.length > 2 && head[0] == '#' && head[1] == '!') {
                String text = new String(head, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
                if (text.contains("java")) {
                    return JAVA_SCRIPT;
                }
            }
        } catch (IOException e) {
            // unreadable: not something we can inspect, so not something we touch
        }
        return OTHER;
    }
}
