package io.github.hotdeploy.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.hotdeploy.testsupport.FreePorts;
import io.github.hotdeploy.testsupport.Processes;
import io.github.hotdeploy.testsupport.StartServerRun;
import io.github.hotdeploy.testsupport.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential tests: the same scenario under the Perl original and under ours, compared.
 * Runs whatever -Dstart_server.impl says; skipped when either binary is missing.
 * Pids differ by nature, so outputs are compared with pids replaced by placeholders.
 */
class CrossCheckIT {
    /**
     * Variables the spec lets our launcher add to a child's environment and the original never
     * sets. The one place to extend when ours adds another.
     */
    static final Set<String> OURS_MAY_ADD = Set.of("NOTIFY_SOCKET", "SERVER_STARTER_NOTIFY_FD", "JAVA_TOOL_OPTIONS");

    /** Variables whose value differs between any two runs whatever the launcher: per-run paths. */
    static final Set<String> PER_RUN_VALUES = Set.of("FIXTURE_REPORT_DIR");

    @RegisterExtension
    final Launcher perl = new Launcher(Impl.PERL);

    @RegisterExtension
    final Launcher ours = new Launcher(Impl.OURS);

    @TempDir
    Path tmp;

    @BeforeAll
    static void bothAreThere() {
        assumeTrue(Impl.perlAvailable(), "the Perl original is not installed at " + Impl.PERL_START_SERVER);
        assumeTrue(Files.isExecutable(Impl.OURS.executable()), "ours is not built at " + Impl.OURS.executable());
    }

    /** One scenario's observations under one launcher. */
    private record Observed(List<String> log, ChildReport report, String status) {
    }

    private Path dirFor(Launcher launcher, String name) throws Exception {
        return Files.createDirectories(tmp.resolve(launcher.impl().name().toLowerCase() + "-" + name));
    }

    @Test
    void theChildEnvironmentIsTheSame() throws Exception {
        int a = FreePorts.tcp();
        int b = FreePorts.tcp();
        Map<Impl, ChildReport> reports = new LinkedHashMap<>();
        for (Launcher launcher : List.of(perl, ours)) {
            Path dir = dirFor(launcher, "env");
            Path envdir = Files.createDirectories(dir.resolve("envdir"));
            Files.writeString(envdir.resolve("FROM_ENVDIR"), "x\n");
            List<String> args = new ArrayList<>(List.of("--port=127.0.0.1:" + a + "=7", "--port=127.0.0.1:" + b,
                    "--path=" + tmp.resolve("cross.sock"), "--envdir=" + tmp.resolve(launcher.impl().name().toLowerCase() + "-env/envdir"),
                    "--kill-old-delay=0", "--interval=0", "--"));
            args.addAll(Fixtures.pythonServer());
            StartServerRun run = launcher.spec().args(args).env("FIXTURE_REPORT_DIR", dir.toString()).env("CROSS_CHECK", "1").start();
            reports.put(launcher.impl(), ChildReport.await(dir, 1, run));
            // One after the other on the same ports and path: stop this one first.
            run.signal("TERM");
            assertThat(run.awaitExit()).isZero();
        }
        ChildReport p = reports.get(Impl.PERL);
        ChildReport o = reports.get(Impl.OURS);

        Set<String> oursKeys = new TreeSet<>(o.env.keySet());
        oursKeys.removeAll(OURS_MAY_ADD);
        assertThat(oursKeys).isEqualTo(new TreeSet<>(p.env.keySet()));
        for (String key : p.env.keySet()) {
            if (!PER_RUN_VALUES.contains(key) && !key.equals("ENVDIR") && !key.equals("SERVER_STARTER_PORT")) {
                assertThat(o.env.get(key)).as(key).isEqualTo(p.env.get(key));
            }
        }
        assertThat(new ArrayList<>(o.ports().keySet())).isEqualTo(new ArrayList<>(p.ports().keySet()));
        // Standard streams: the same kind of thing (pipe, socket, file...) under both.
        for (int fd = 0; fd <= 2; fd++) {
            assertThat(kind(o.fds.get(fd))).as("fd " + fd).isEqualTo(kind(p.fds.get(fd)));
        }
        // A given =FD must be honoured the same; other fd numbers may legitimately differ.
        assertThat(o.ports().get("127.0.0.1:" + a)).isEqualTo(7).isEqualTo(p.ports().get("127.0.0.1:" + a));
    }

    @Test
    void aHupGivesTheSameLogAndStatusFiles() throws Exception {
        Map<Impl, Observed> seen = new LinkedHashMap<>();
        for (Launcher launcher : List.of(perl, ours)) {
            Path dir = dirFor(launcher, "hup");
            Path status = dir.resolve("status");
            int port = FreePorts.tcp();
            List<String> args = new ArrayList<>(List.of("--port=127.0.0.1:" + port, "--status-file=" + status,
                    "--interval=1", "--signal-on-hup=USR2", "--"));
            args.addAll(Fixtures.pythonServer());
            // The old generation ignores USR2, so the status file shows two generations.
            StartServerRun run = launcher.spec().args(args).env("FIXTURE_IGNORE", "USR2").start();
            long first = run.awaitWorker(1);
            run.awaitServing(1);
            run.signal("HUP");
            long second = run.awaitWorker(2);
            run.awaitServing(2);
            run.awaitLine("^killing old workers$");
            String both = Waits.until("two generations in the status file",
                    () -> FilesIT.read(status).filter(s -> s.lines().count() == 2), run::describe);
            Processes.signal(first, "KILL");
            run.awaitLine("^old worker " + first + " died");
            run.signal("TERM");
            assertThat(run.awaitExit()).isZero();
            seen.put(launcher.impl(), new Observed(normalized(run), null, normalizePids(both, run)));
            assertThat(second).isPositive();
        }

        assertThat(seen.get(Impl.OURS).status()).isEqualTo(seen.get(Impl.PERL).status()).isEqualTo("1:<W1>\n2:<W2>\n");
        assertThat(seen.get(Impl.OURS).log()).isEqualTo(seen.get(Impl.PERL).log());
    }

    @Test
    void failedStartsGiveTheSameLogAndNumbering() throws Exception {
        Map<Impl, List<String>> logs = new LinkedHashMap<>();
        for (Launcher launcher : List.of(perl, ours)) {
            int port = FreePorts.tcp();
            List<String> args = new ArrayList<>(List.of("--port=127.0.0.1:" + port, "--interval=1", "--"));
            args.addAll(Fixtures.pythonServer());
            StartServerRun run = launcher.spec().args(args).env("FIXTURE_FAIL_GENERATIONS", "1,2,4").env("FIXTURE_FAIL_EXIT", "5").start();
            run.awaitServing(3);
            Client.awaitGeneration(run, port, 3);
            run.signal("HUP");
            run.awaitServing(5);
            run.awaitLine("^old worker \\d+ died");
            run.signal("TERM");
            assertThat(run.awaitExit()).isZero();
            logs.put(launcher.impl(), normalized(run));
        }

        assertThat(logs.get(Impl.OURS)).isEqualTo(logs.get(Impl.PERL));
    }

    @Test
    void aDyingWorkerGivesTheSameLog() throws Exception {
        Map<Impl, List<String>> logs = new LinkedHashMap<>();
        for (Launcher launcher : List.of(perl, ours)) {
            int port = FreePorts.tcp();
            List<String> args = new ArrayList<>(List.of("--port=127.0.0.1:" + port, "--interval=0", "--"));
            args.addAll(Fixtures.pythonServer());
            StartServerRun run = launcher.spec().args(args).start();
            long first = run.awaitWorker(1);
            run.awaitServing(1);
            Processes.signal(first, "KILL");
            run.awaitServing(2);
            run.signal("INT");
            assertThat(run.awaitExit()).isZero();
            logs.put(launcher.impl(), normalized(run));
        }

        assertThat(logs.get(Impl.OURS)).isEqualTo(logs.get(Impl.PERL));
    }

    @Test
    void badCommandLinesExitAlike() {
        for (String[] args : List.of(new String[] {"--no-such-option", "--", "true"}, new String[] {"--version"},
                new String[] {"--help"}, new String[] {"--interval=0"}, new String[] {"--signal-on=TERM", "--", "true"})) {
            int perlExit = perl.run(args).exitValue();
            int oursExit = ours.run(args).exitValue();
            // Zero or not, and Getopt's 1 for option errors, must agree; other non-zero codes may differ.
            assertThat(oursExit == 0).as(String.join(" ", args)).isEqualTo(perlExit == 0);
            if (perlExit == 1) {
                assertThat(oursExit).as(String.join(" ", args)).isEqualTo(1);
            }
        }
    }

    /** "pipe:[123]" -> "pipe", "socket:[4]" -> "socket", a path -> the path. */
    private static String kind(String target) {
        return target == null ? "closed" : target.replaceFirst(":\\[\\d+\\]$", "");
    }

    /**
     * start_server's own lines (the fixture's are left out: their order against start_server's
     * is a race), with start_server's pid as <S> and workers' as <W1>, <W2>... in order of start.
     */
    private static final java.util.regex.Pattern KILLED_ONES_LEFTOVER =
            java.util.regex.Pattern.compile("start_server: removed \\S+, left by a start_server that was killed");

    static List<String> normalized(StartServerRun run) {
        List<String> lines = new ArrayList<>();
        for (String line : run.output()) {
            // Our start_server also removes what a killed one left under /tmp, and says so: a
            // deliberate difference (docs/hardening.md), logged only where an earlier test killed one.
            if (!line.startsWith("fixture ") && !KILLED_ONES_LEFTOVER.matcher(line).matches()) {
                lines.add(normalizePids(line, run));
            }
        }
        return lines;
    }

    static String normalizePids(String text, StartServerRun run) {
        Map<String, String> names = new LinkedHashMap<>();
        names.put(Long.toString(run.pid()), "<S>");
        Pattern worker = Pattern.compile("^starting new worker (\\d+)$");
        for (String line : run.output()) {
            Matcher m = worker.matcher(line);
            if (m.find()) {
                names.putIfAbsent(m.group(1), "<W" + (names.size()) + ">");
            }
        }
        Matcher number = Pattern.compile("\\b\\d+\\b").matcher(text);
        StringBuilder out = new StringBuilder();
        while (number.find()) {
            number.appendReplacement(out, Matcher.quoteReplacement(names.getOrDefault(number.group(), number.group())));
        }
        number.appendTail(out);
        return out.toString();
    }
}
