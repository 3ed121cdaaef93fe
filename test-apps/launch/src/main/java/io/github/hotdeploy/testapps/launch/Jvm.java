package io.github.hotdeploy.testapps.launch;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The JVM an app runs on: its java executable (a path, or {@code java} for the one on the PATH),
 * that JDK's home ({@code knownHome}; null: found from the executable when a launch needs it), and the options put
 * before {@code -jar} (the integration tests' light flags; none in the restart harness, which
 * measures the apps as they are).
 */
public record Jvm(String java, Path knownHome, List<String> options) {
    public Jvm {
        options = List.copyOf(options);
    }

    /** A java executable with no options; its home found when needed. */
    public static Jvm of(String java) {
        return new Jvm(java, null, List.of());
    }

    /** The JDK home: the one given, else the executable's (a bare name looked up on the PATH; links resolved). */
    public Path home() throws IOException {
        if (knownHome != null) {
            return knownHome;
        }
        Path exe = null;
        if (java.contains("/")) {
            exe = Path.of(java);
        } else {
            for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                Path p = Path.of(d.isEmpty() ? "." : d, java);
                if (Files.isExecutable(p)) {
                    exe = p;
                    break;
                }
            }
        }
        if (exe == null || !Files.isExecutable(exe)) {
            throw new IOException("no java executable '" + java + "' (on the PATH or as a path)");
        }
        // JDK_HOME/bin/java
        return exe.toRealPath().getParent().getParent();
    }
}
