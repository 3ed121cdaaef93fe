package io.github.hotdeploy.agent.it.support;

import io.github.hotdeploy.testsupport.Jdk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The JDKs the forked applications run on (test-support's {@link Jdk}: checked versions, a missing
 * one skipped or failed visibly, never dropped), and where the agent and the fixtures are.
 */
public final class Jdks {

    private Jdks() {
    }

    public static String java17() {
        return Jdk.JDK_17.java();
    }

    /** "17" and "25", installed or not: a test on one calls {@link #java(String)}, which skips or fails it visibly. */
    public static List<String> versions() {
        List<String> versions = new ArrayList<>();
        for (Jdk jdk : Jdk.ALL) {
            versions.add(Integer.toString(jdk.major()));
        }
        return versions;
    }

    public static String java(String version) {
        return Jdk.of(version).java();
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
