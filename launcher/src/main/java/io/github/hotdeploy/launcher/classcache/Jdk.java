package io.github.hotdeploy.launcher.classcache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The runtime a {@code java} executable belongs to, from its {@code release} file (no process is
 * started to ask it): its feature version, and an identity that changes whenever the runtime
 * does, for the cache key (a cache made by one JVM build is foreign to any other).
 *
 * @param feature 17, 21, 25...; 0 when unknown
 */
public record Jdk(int feature, String identity) {

    /** From JDK 25 on: the AOT cache ({@code -XX:AOTMode}, {@code -XX:AOTCache}, JEP 483 and 514). */
    public static final int AOT_CACHE = 25;
    /** From JDK 13 on: a CDS archive of the application's classes, made from a class list (static dump). */
    public static final int DYNAMIC_ARCHIVE = 13;

    public static Jdk of(Path javaExecutable) {
        try {
            Path real = javaExecutable.toRealPath();
            Path home = real.getParent().getParent();
            String release = Files.readString(home.resolve("release"));
            String version = value(release, "JAVA_VERSION");
            StringBuilder identity = new StringBuilder(real.toString()).append('\n').append(release);
            Path libjvm = home.resolve("lib/server/libjvm.so");
            if (Files.isRegularFile(libjvm)) {
                identity.append(Files.size(libjvm)).append(' ').append(Files.getLastModifiedTime(libjvm).toMillis());
            }
            return new Jdk(feature(version), identity.toString());
        } catch (IOException | RuntimeException unreadable) {
            return new Jdk(0, "");
        }
    }

    /** 1.8.0_402 is 8, 17.0.15 is 17, 25 is 25; 0 when it is not a version. */
    static int feature(String version) {
        if (version == null) {
            return 0;
        }
        String[] parts = version.split("[._+-]");
        try {
            int first = Integer.parseInt(parts[0]);
            return first == 1 && parts.length > 1 ? Integer.parseInt(parts[1]) : first;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String value(String release, String key) {
        for (String line : release.split("\n")) {
            if (line.startsWith(key + "=")) {
                return line.substring(key.length() + 1).replace("\"", "").trim();
            }
        }
        return null;
    }
}
