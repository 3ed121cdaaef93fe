package io.github.hotdeploy.it.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JDKs the apps are run on. Homes come from the {@code it.jdk17.home} / {@code it.jdk25.home}
 * system properties (set by the pom); a JDK that is missing, or is not the major version its name
 * says, skips the test rather than failing it, so the suite runs on machines with one JDK.
 */
public enum Jdk {
    JDK_17(17, "it.jdk17.home"),
    JDK_25(25, "it.jdk25.home");

    private static final Pattern RELEASE_VERSION = Pattern.compile("^JAVA_VERSION=\"(?:1\\.)?(\\d+)", Pattern.MULTILINE);

    private final int major;
    private final String property;

    Jdk(int major, String property) {
        this.major = major;
        this.property = property;
    }

    public Path home() {
        String value = System.getProperty(property);
        return value == null || value.isBlank() ? Path.of("/nonexistent-" + property) : Path.of(value);
    }

    public Path java() {
        return home().resolve("bin/java");
    }

    /** Skips the calling test unless this JDK is installed where configured. */
    public void assumeInstalled() {
        assumeTrue(Files.isExecutable(java()), () -> name() + ": no java at " + java() + " (set -D" + property + ")");
        int found = releaseMajor();
        assumeTrue(found == major, () -> name() + ": " + home() + " is JDK " + found + ", not " + major
                + " (set -D" + property + ")");
    }

    private int releaseMajor() {
        try {
            Matcher m = RELEASE_VERSION.matcher(Files.readString(home().resolve("release")));
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public String toString() {
        return "JDK " + major;
    }
}
