package io.github.hotdeploy.agent.it.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** The JDKs the forked applications run on: the test JVM's own (17) and JDK 25 if present. */
public final class Jdks {

    private Jdks() {
    }

    public static String java17() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Null when no JDK 25 is installed where -Djdk25.home points. */
    public static String java25() {
        Path java = Paths.get(System.getProperty("jdk25.home", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java");
        return Files.isExecutable(java) ? java.toString() : null;
    }

    /** "17" and, when installed, "25". */
    public static List<String> versions() {
        List<String> versions = new ArrayList<>();
        versions.add("17");
        if (java25() != null) {
            versions.add("25");
        }
        return versions;
    }

    public static String java(String version) {
        return version.equals("25") ? java25() : java17();
    }

    public static String agentJar() {
        Path jar = Paths.get(System.getProperty("agent.jar", "target/server-starter-agent.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the package phase first");
        }
        return jar.toString();
    }

    /** Where FixtureServer lives: test classes only, never the agent's unshaded classes. */
    public static String fixtureClassPath() {
        return Paths.get("target", "test-classes").toAbsolutePath().toString();
    }

    /**
     * The test class path minus the agent's own classes and Byte Buddy, so the child runs the
     * shaded agent jar and nothing else of ours (for real servers from Maven Central).
     */
    public static String serverClassPath() {
        StringBuilder sb = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            // target/classes or the module jars (failsafe puts agent-*.jar on the class path):
            // unshaded copies of the agent would shadow the -javaagent jar's classes.
            if (entry.endsWith("target/classes") || (entry.contains("/agent/target/") && entry.endsWith(".jar")) || entry.contains("byte-buddy")
                    || entry.contains("/protocol/")) {
                continue;
            }
            sb.append(sb.length() == 0 ? "" : java.io.File.pathSeparator).append(entry);
        }
        return sb.toString();
    }
}
