package io.github.hotdeploy.bench.restart;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** What the restart harness's ITs share: what must be built, and a clean folder for each case. */
final class HarnessIts {

    private HarnessIts() {
    }

    /**
     * Skips the calling class unless bin/start_server's launcher and bench.jar are built (the
     * reactor builds them before this module's ITs; with {@code -pl bench} alone they may be missing).
     */
    static void assumeBuilt(Path repo) {
        assumeTrue(Files.isRegularFile(repo.resolve("launcher/target/dist/lib/start_server.jar")), "launcher not built");
        assumeTrue(Files.isRegularFile(repo.resolve("bench/target/bench.jar")), "bench.jar not packaged");
    }

    /** {@code dir}, emptied: the harness appends to its logs, and a previous run's would mix in. */
    static Path emptied(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        return dir;
    }
}
