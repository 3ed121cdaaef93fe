package io.github.hotdeploy.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotdeploy.testsupport.FreePorts;
import io.github.hotdeploy.testsupport.StartServerRun;
import io.github.hotdeploy.testsupport.Waits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * [ours] {@code start_server --status} in every state a start_server can be in, as a person reads
 * it and as JSON (checked with Python's parser, not ours); exit 0 only while a generation serves.
 */
class StatusIT {
    private static final String LATER_GENERATIONS = IntStream.rangeClosed(2, 500).mapToObj(Integer::toString)
            .collect(Collectors.joining(","));

    @RegisterExtension
    final Launcher launcher = new Launcher();

    @TempDir
    Path tmp;

    private final int port = FreePorts.tcp();

    @BeforeEach
    void ours() {
        Impl.assumeOurs("the original has no --status");
    }

    private Path pidFile() {
        return tmp.resolve("start_server.pid");
    }

    private Launcher.Spec server(String... options) {
        List<String> args = new ArrayList<>(List.of("--port=127.0.0.1:" + port, "--pid-file=" + pidFile(),
                "--status-file=" + tmp.resolve("status")));
        args.addAll(List.of(options));
        args.add("--");
        args.addAll(Fixtures.pythonServer());
        return launcher.spec().args(args);
    }

    private StartServerRun status() {
        return launcher.run("--status", "--pid-file=" + pidFile());
    }

    private StartServerRun json() {
        StartServerRun run = launcher.run("--status", "--json", "--pid-file=" + pidFile());
        String parsed = python("import json,sys; d=json.load(sys.stdin); print(d['running'], d['serving'])",
                String.join("\n", run.stdout()));
        assertThat(parsed).as(run.describe()).matches("(True|False) (True|False)");
        return run;
    }

    /** Waits until --status shows what is expected, then returns that run. */
    private StartServerRun awaitStatus(String regex) {
        Pattern pattern = Pattern.compile(regex);
        StartServerRun[] last = new StartServerRun[1];
        return Waits.until("--status matching /" + regex + "/", () -> {
            last[0] = status();
            return pattern.matcher(String.join("\n", last[0].stdout())).find() ? java.util.Optional.of(last[0])
                    : java.util.Optional.empty();
        }, () -> last[0] == null ? "" : last[0].describe());
    }

    @Test
    void servingExitsZeroAndShowsTheGenerationItsPidAndSinceWhen() {
        StartServerRun server = server("--interval=0").start();
        long worker = server.awaitWorker(1);

        StartServerRun run = awaitStatus("serving: generation 1 \\(pid " + worker + "\\) serving");

        assertThat(run.exitValue()).isZero();
        assertThat(run.stdout()).anyMatch(l -> l.matches("  generation 1 +pid " + worker + " +serving +since "
                + "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ \\(\\d+ s ago\\), readiness not awaited"));
        assertThat(run.stdout()).contains("last restart: none");
        StartServerRun asJson = json();
        assertThat(asJson.exitValue()).isZero();
        assertThat(String.join("", asJson.stdout())).contains("\"state\":\"serving\"", "\"pid\":" + worker);
    }

    @Test
    void aFirstGenerationWaitedForIsStartingAndNotServing() {
        server("--wait-ready=always").env("FIXTURE_HANG_GENERATIONS", "1").start();

        StartServerRun run = awaitStatus("generation 1 .*starting.*waiting for READY=1");

        assertThat(run.exitValue()).isEqualTo(4);
        assertThat(json().exitValue()).isEqualTo(4);
    }

    @Test
    void aReportedReadinessIsShownWithItsTime() {
        StartServerRun server = server("--wait-ready=always", "--interval=0").env("FIXTURE_NOTIFY_GENERATIONS", "*").start();
        server.awaitWorker(1);

        StartServerRun run = awaitStatus("serving +since .*, READY=1 \\d{4}-");

        assertThat(run.exitValue()).isZero();
    }

    @Test
    void duringARestartTheOldGenerationServesAndTheNewOneStarts() {
        StartServerRun server = server("--wait-ready=always", "--interval=0").env("FIXTURE_NOTIFY_GENERATIONS", "1")
                .env("FIXTURE_HANG_GENERATIONS", LATER_GENERATIONS).start();
        server.awaitWorker(1);
        awaitStatus("generation 1 \\(pid \\d+\\) serving");
        server.signal("HUP");

        StartServerRun run = awaitStatus("serving: generation 2 starting, 1 serving");

        assertThat(run.exitValue()).isZero();
        assertThat(run.stdout()).anyMatch(l -> l.matches("last restart: #1 \\(HUP\\) requested .*: in progress"));
    }

    @Test
    void anOldGenerationDrainingAfterARestartIsShownDraining() {
        StartServerRun server = server("--interval=0").env("FIXTURE_TERM_DELAY", "30").start();
        long first = server.awaitWorker(1);
        server.awaitServing(1);
        server.signal("HUP");

        StartServerRun run = awaitStatus("generation 1 +pid " + first + " +draining");

        assertThat(run.exitValue()).isZero();
        assertThat(run.stdout().get(0)).endsWith("serving, 1 draining");
        assertThat(run.stdout()).anyMatch(l -> l.matches("last restart: #1 \\(HUP\\) .*: succeeded .*, generation 2 took over"));
    }

    @Test
    void aFirstGenerationThatKeepsFailingIsRetryingWithTheReasonAndTheNextAttempt() {
        server("--interval=2").env("FIXTURE_FAIL_GENERATIONS", "*").start();

        StartServerRun run = awaitStatus("next attempt ");

        assertThat(run.exitValue()).isEqualTo(4);
        assertThat(run.stdout().get(0)).matches("start_server \\(pid \\d+\\) not serving: start failed: generation \\d+ "
                + "\\(pid \\d+\\) exited with status 3 before it counted as started; .*");
        assertThat(run.stdout()).anyMatch(l -> l.startsWith("last failure: generation "));
    }

    @Test
    void aStoppingStartServerIsNotServing() {
        StartServerRun server = server("--interval=0").env("FIXTURE_TERM_DELAY", "30").start();
        server.awaitServing(1);
        awaitStatus("generation 1 \\(pid \\d+\\) serving");
        server.signal("TERM");

        StartServerRun run = awaitStatus("not serving: stopping: generation 1 \\(pid \\d+\\) draining");

        assertThat(run.exitValue()).isEqualTo(4);
    }

    @Test
    void noStartServerIsExitTwoInBothForms() {
        StartServerRun run = status();
        assertThat(run.exitValue()).isEqualTo(2);
        assertThat(run.stdout()).singleElement().asString().startsWith("start_server is not running: failed to open file:"
                + pidFile());
        StartServerRun asJson = json();
        assertThat(asJson.exitValue()).isEqualTo(2);
        assertThat(String.join("", asJson.stdout())).startsWith("{\"running\":false,\"serving\":false,\"reason\":");
    }

    private static String python(String program, String input) {
        try {
            Process p = new ProcessBuilder(Fixtures.python(), "-c", program).redirectErrorStream(true).start();
            p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
