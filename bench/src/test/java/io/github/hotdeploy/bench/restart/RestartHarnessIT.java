package io.github.hotdeploy.bench.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The quick harness on the demo app, a new connection per request, two SIGHUPs: not one request
 * may fail. Kept gentle (a low rate, long timeouts) so that a busy two-core machine slows it
 * down without making it fail: what is asserted is correctness, never speed.
 *
 * <p>Needs bin/start_server's launcher and the demo app built: a full reactor build packages
 * them before this module's integration tests; with {@code -pl bench} alone they may be missing,
 * and the test is skipped rather than building other modules behind the developer's back.
 */
class RestartHarnessIT {

    @Test
    @Timeout(600)
    void noRequestFailsAcrossRestartsWithANewConnectionPerRequest() throws Exception {
        Path repo = Path.of(System.getProperty("basedir", "."), "..").toAbsolutePath().normalize();
        assumeTrue(Files.isRegularFile(repo.resolve("launcher/target/dist/lib/start_server.jar")), "launcher not built");
        assumeTrue(Files.isRegularFile(repo.resolve("demo-app/target/demo-app.jar")), "demo app not built");
        assumeTrue(Files.isRegularFile(repo.resolve("bench/target/bench.jar")), "bench.jar not packaged");
        Path out = repo.resolve("bench/target/restart-it");

        RestartHarness.Outcome outcome = RestartHarness.run(HarnessOptions.parse("--quick", "--repo=" + repo,
                "--out=" + out, "--servers=demo", "--modes=close", "--restarts=2", "--contrast=no", "--in-flight=no",
                "--rate=50", "--connections=4", "--request-timeout-ms=30000", "--restart-timeout=120"));

        assertThat(outcome.scenarios()).hasSize(1);
        ScenarioResult r = outcome.scenarios().get(0);
        assertThat(r.problem()).as("harness problem (see %s)", out).isEmpty();
        assertThat(r.restartsDone()).as("restarts completed").isEqualTo(2);
        assertThat(r.all().requests()).as("requests made").isPositive();
        assertThat(r.windows().requests()).as("requests during the restarts").isPositive();
        assertThat(r.all().failed()).as("failed requests: %s (see %s)", r.all().byKind(), out).isZero();
        assertThat(r.restarts()).allSatisfy(x -> {
            assertThat(x.newPid()).isNotEqualTo(x.oldPid());
            assertThat(x.toReadyMs()).isPositive();
        });
        assertThat(out.resolve("results.md")).exists();
        assertThat(out.resolve("results.json")).exists();
        assertThat(Path.of(r.plot())).exists();
    }
}
