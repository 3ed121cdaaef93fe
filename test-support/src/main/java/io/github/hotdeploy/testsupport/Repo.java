package io.github.hotdeploy.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where the built pieces of the checkout are, used as a user of the checkout runs them:
 * bin/start_server (which runs the launcher built in launcher/target/dist, as the distribution's
 * own bin/start_server does), the apps' jars and the distributions from their modules' target/.
 * The root is the parent of the module whose tests run ({@code it.basedir}, else Maven's
 * {@code basedir}).
 */
public final class Repo {

    private Repo() {
    }

    public static Path root() {
        String module = System.getProperty("it.basedir", System.getProperty("basedir", "."));
        return Path.of(module).toAbsolutePath().normalize().getParent();
    }

    public static Path startServer() {
        return built(root().resolve("bin/start_server"));
    }

    public static Path demoJar() {
        return built(root().resolve("demo-app/target/demo-app.jar"));
    }

    public static Path benchJar() {
        return built(root().resolve("bench/target/bench.jar"));
    }

    /** A test app's jar: test-apps/MODULE/target/test-app-MODULE.jar. */
    public static Path testApp(String module) {
        return built(root().resolve("test-apps/" + module + "/target/test-app-" + module + ".jar"));
    }

    /** Unpacked Tomcat and Jetty distributions and their bases; see test-apps/README.md. */
    public static Path distributions() {
        return built(root().resolve("test-apps/distributions/target"));
    }

    /** JDK 17's java, its version checked ({@link Jdk}). */
    public static String java17() {
        return Jdk.JDK_17.java();
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
        if (!Files.exists(path)) {
            throw new IllegalStateException(path + " is missing: it is built by the reactor (mvn -B -pl MODULE -am verify)");
        }
        return path;
    }
}
