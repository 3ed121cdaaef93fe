package io.github.hotdeploy.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * The JDKs the tests run applications on. Homes come from the {@code jdk17.home} and
 * {@code jdk25.home} system properties (the root pom sets both). Every test is run on every JDK
 * in {@link #ALL}: a missing JDK is never dropped from a test's parameters. Where the home is
 * missing, {@link #java()} skips the test with the reason (listed in the CI log by
 * {@code .ci/skipped-tests}), or fails it under CI ({@code CI=true}) or with
 * {@code -Djdks.required=true}, where both JDKs are part of the machine. A home that holds
 * another major version fails the test: "JDK 17" is checked, not assumed.
 */
public enum Jdk {
    JDK_17(17, "jdk17.home", System.getProperty("java.home")),
    JDK_25(25, "jdk25.home", "/usr/lib/jvm/temurin-25-jdk-amd64");

    public static final List<Jdk> ALL = List.of(values());

    private static final Pattern RELEASE_VERSION = Pattern.compile("^JAVA_VERSION=\"(?:1\\.)?(\\d+)", Pattern.MULTILINE);

    private final int major;
    private final String property;
    private final String defaultHome;

    Jdk(int major, String property, String defaultHome) {
        this.major = major;
        this.property = property;
        this.defaultHome = defaultHome;
    }

    /** "17" -> JDK_17. */
    public static Jdk of(String version) {
        for (Jdk jdk : values()) {
            if (Integer.toString(jdk.major).equals(version)) {
                return jdk;
            }
        }
        throw new IllegalArgumentException("no JDK " + version + " in " + ALL);
    }

    public int major() {
        return major;
    }

    public Path home() {
        String value = System.getProperty(property);
        return Path.of(value == null || value.isBlank() ? defaultHome : value);
    }

    public boolean installed() {
        return Files.isExecutable(home().resolve("bin/java"));
    }

    /** This JDK's java, after {@link #requireInstalled()}. */
    public String java() {
        requireInstalled();
        return home().resolve("bin/java").toString();
    }

    /**
     * Skips the calling test when this JDK is not installed (fails it where it is required);
     * fails it when the home holds another major version.
     */
    public void requireInstalled() {
        Path java = home().resolve("bin/java");
        if (!Files.isExecutable(java)) {
            String reason = this + " is not installed: no java at " + java + " (set -D" + property + "=HOME)";
            if (required()) {
                throw new IllegalStateException(reason + "; required here (CI=true or -Djdks.required=true)");
            }
            Assumptions.abort(reason);
        }
        int found = releaseMajor();
        if (found != major) {
            throw new IllegalStateException(home() + " is JDK " + found + ", not " + major + " (set -D" + property + "=HOME)");
        }
    }

    private static boolean required() {
        return "true".equals(System.getenv("CI")) || Boolean.getBoolean("jdks.required");
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
