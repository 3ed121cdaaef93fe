package io.github.hotdeploy.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where the built pieces are. The repository root is the parent of this module's basedir (passed
 * by the pom as {@code it.basedir}); the launcher, the agent and the apps are used from their
 * modules' target/ directories, as a user of a checkout would run them.
 */
public final class Repo {

    private Repo() {
    }

    public static Path root() {
        return Path.of(System.getProperty("it.basedir", "integration-tests")).toAbsolutePath().getParent();
    }

    public static Path startServer() {
        return built(root().resolve("launcher/target/dist/bin/start_server"));
    }

    public static Path appJar(String module) {
        return built(root().resolve("test-apps/" + module + "/target/test-app-" + module + ".jar"));
    }

    /** Unpacked Tomcat and Jetty distributions and their bases; see test-apps/README.md. */
    public static Path distributions() {
        return built(root().resolve("test-apps/distributions/target"));
    }

    /** A fresh, empty directory for one test's files (logs, status file, sockets), kept for post-mortems. */
    public static Path workDir(String name) {
        Path dir = Path.of(System.getProperty("it.work", "target/it-work")).toAbsolutePath().resolve(name);
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> paths = Files.walk(dir)) {
                    for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(path);
                    }
                }
            }
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare work directory " + dir, e);
        }
    }

    private static Path built(Path path) {
        assertThat(path).as("%s is built by the reactor: mvn -B -pl integration-tests -am verify", path).exists();
        return path;
    }
}
