package io.github.hotdeploy.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotdeploy.launcher.it.Client.Answer;
import io.github.hotdeploy.testsupport.FreePorts;
import io.github.hotdeploy.testsupport.StartServerRun;
import io.github.hotdeploy.testsupport.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * --port in every form of the spec and --path, checked through real connections to the fixture
 * and through the fds and SERVER_STARTER_PORT the fixture reports.
 */
class PortOptionIT {
    @RegisterExtension
    final Launcher launcher = new Launcher();

    @TempDir
    Path tmp;

    private StartServerRun startWith(String... options) {
        List<String> args = new ArrayList<>(List.of(options));
        args.add("--interval=0");
        args.add("--");
        args.addAll(Fixtures.pythonServer());
        return launcher.spec().args(args).env("FIXTURE_REPORT_DIR", tmp.toString()).start();
    }

    @Test
    void aBarePortListensOnIpv4AnyAndIsKeyedByTheNumber() throws Exception {
        int port = FreePorts.tcp();
        StartServerRun run = startWith("--port=" + port);
        ChildReport report = ChildReport.await(tmp, 1, run);

        assertThat(report.ports()).containsOnlyKeys(Integer.toString(port));
        assertThat(Client.awaitAnswer(run, port).generation()).isEqualTo(1);
        // 0.0.0.0 only: IPv6 loopback is not served by the IPv4 wildcard.
        assertThat(listeners(port)).containsExactly("0.0.0.0:" + port);
    }

    @Test
    void hostAndPortResolveTheHostnameAndKeepItInTheKey() throws Exception {
        int port = FreePorts.tcp();
        StartServerRun run = startWith("--port=localhost:" + port);
        ChildReport report = ChildReport.await(tmp, 1, run);

        assertThat(report.ports()).containsOnlyKeys("localhost:" + port);
        assertThat(Client.awaitAnswer(run, port).generation()).isEqualTo(1);
        assertThat(listeners(port)).containsExactly("127.0.0.1:" + port);
    }

    @Test
    void bracketedIpv6ListensOnThatAddressOnly() throws Exception {
        int port = FreePorts.tcp();
        StartServerRun run = startWith("--port=[::1]:" + port);
        ChildReport report = ChildReport.await(tmp, 1, run);

        assertThat(report.ports()).containsOnlyKeys("[::1]:" + port);
        Answer answer = Waits.until("an answer on [::1]:" + port,
                () -> java.util.Optional.of(Client.ask("::1", port)), run::describe);
        assertThat(answer.generation()).isEqualTo(1);
        assertThat(listeners(port)).containsExactly("[::1]:" + port);
    }

    @Test
    void bracketedIpv4IsAccepted() throws Exception {
        int port = FreePorts.tcp();
        StartServerRun run = startWith("--port=[127.0.0.1]:" + port);
        ChildReport report = ChildReport.await(tmp, 1, run);

        assertThat(report.ports()).containsOnlyKeys("127.0.0.1:" + port);
        assertThat(Client.awaitAnswer(run, port).generation()).isEqualTo(1);
    }

    @Test
    void equalsFdPlacesTheSocketAtThatNumber() throws Exception {
        int port = FreePorts.tcp();
        StartServerRun run = startWith("--port=127.0.0.1:" + port + "=5");
        ChildReport report = ChildReport.await(tmp, 1, run);

        run.awaitLine("^socket is duplicated to file descriptor 5$");
        assertThat(report.ports()).containsExactly(Map.entry("127.0.0.1:" + port, 5));
        assertThat(report.fds.get(5)).startsWith("socket:");
        assertThat(Client.awaitAnswer(run, port).generation()).isEqualTo(1);
    }

    @Test
    void equalsZeroPutsTheSocketOnStdinForAJavaInheritedChannel() throws Exception {
        int port = FreePorts.tcp();
        List<String> args = new ArrayList<>(List.of("--port=127.0.0.1:" + port + "=0", "--interval=0", "--"));
        args.addAll(Fixtures.javaServer());
        StartServerRun run = launcher.start(args);

        run.awaitLine("^socket is duplicated to file descriptor 0$");
        run.awaitLine("^java fixture \\d+ gen 1 serving$");
        Answer answer = Client.awaitAnswer(run, port);
        assertThat(answer.generation()).isEqualTo(1);
        assertThat(answer.pid()).isEqualTo(run.awaitWorker(1));
    }

    @Test
    void aUPrefixBindsUdpWithAKeyLikeTcp() throws Exception {
        int port = FreePorts.tcpAndUdp();
        StartServerRun run = startWith("--port=127.0.0.1:u" + port);
        ChildReport report = ChildReport.await(tmp, 1, run);

        assertThat(report.ports()).containsOnlyKeys("127.0.0.1:" + port);
        run.awaitServing(1);
        Answer answer = Waits.until("a UDP answer", () -> java.util.Optional.of(Client.askUdp("127.0.0.1", port)), run::describe);
        assertThat(answer.generation()).isEqualTo(1);
        // Bound but not listening: TCP finds nobody.
        assertThat(Client.refused(port)).isTrue();
    }

    @Test
    void aBareUPortBindsUdpOnIpv4Any() throws Exception {
        int port = FreePorts.tcpAndUdp();
        StartServerRun run = startWith("--port=u" + port);
        ChildReport report = ChildReport.await(tmp, 1, run);

        assertThat(report.ports()).containsOnlyKeys(Integer.toString(port));
        run.awaitServing(1);
        Answer answer = Waits.until("a UDP answer", () -> java.util.Optional.of(Client.askUdp("127.0.0.1", port)), run::describe);
        assertThat(answer.generation()).isEqualTo(1);
    }

    @Test
    void portsComeFirstInCommandLineOrderThenPaths() throws Exception {
        int a = FreePorts.tcp();
        int b = FreePorts.tcp();
        Path sock1 = tmp.resolve("one.sock");
        Path sock2 = tmp.resolve("two.sock");
        StartServerRun run = startWith("--path=" + sock1, "--port=127.0.0.1:" + b, "--path", sock2.toString(), "--port", Integer.toString(a));
        ChildReport report = ChildReport.await(tmp, 1, run);

        assertThat(new ArrayList<>(report.ports().keySet()))
                .containsExactly("127.0.0.1:" + b, Integer.toString(a), sock1.toString(), sock2.toString());
        report.ports().values().forEach(fd -> assertThat(report.fds.get(fd)).startsWith("socket:"));
        assertThat(Client.awaitAnswer(run, a).generation()).isEqualTo(1);
        assertThat(Client.askUnix(sock2).generation()).isEqualTo(1);
    }

    @Test
    void pathListensOnAUnixSocketAndRemovesItAtExit() throws Exception {
        Path sock = tmp.resolve("app.sock");
        StartServerRun run = startWith("--path=" + sock);
        run.awaitServing(1);

        assertThat(Client.askUnix(sock).generation()).isEqualTo(1);

        run.signal("TERM");
        assertThat(run.awaitExit()).isZero();
        assertThat(sock).doesNotExist();
    }

    @Test
    void anExistingSocketFileIsReplacedWithAWarning() throws Exception {
        Path sock = tmp.resolve("stale.sock");
        // A socket file whose server is gone, as a crashed start_server leaves it.
        try (var channel = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            channel.bind(java.net.UnixDomainSocketAddress.of(sock));
        }
        assertThat(sock).exists();

        StartServerRun run = startWith("--path=" + sock);
        run.awaitServing(1);

        assertThat(run.output()).anyMatch(line -> line.contains("removing existing socket file:" + sock));
        assertThat(Client.askUnix(sock).generation()).isEqualTo(1);
    }

    @Test
    void aRelativePathIsKeyedAsGiven() throws Exception {
        List<String> args = new ArrayList<>(List.of("--path=rel.sock", "--interval=0", "--"));
        args.addAll(Fixtures.pythonServer());
        StartServerRun run = launcher.spec().args(args).dir(tmp).env("FIXTURE_REPORT_DIR", tmp.toString()).start();
        ChildReport report = ChildReport.await(tmp, 1, run);

        assertThat(report.ports()).containsOnlyKeys("rel.sock");
        assertThat(Client.askUnix(tmp.resolve("rel.sock")).generation()).isEqualTo(1);
    }

    @Test
    void theSocketFileFollowsTheUmask() throws Exception {
        Impl.assumeOurs("the original creates the socket file with mode 0777 whatever the umask");
        Path sock = tmp.resolve("private.sock");
        List<String> args = new ArrayList<>(List.of("--path=" + sock, "--interval=0", "--"));
        args.addAll(Fixtures.pythonServer());
        StartServerRun run = launcher.spec().signals("--umask", "077").args(args).start();
        run.awaitServing(1);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sock))).isEqualTo("rwx------");
    }

    @Test
    void ipv6WildcardIsV6Only() throws Exception {
        int port = FreePorts.tcp();
        StartServerRun run = startWith("--port=[::]:" + port);
        Answer answer = Waits.until("an answer on [::1]:" + port,
                () -> java.util.Optional.of(Client.ask("::1", port)), run::describe);
        assertThat(answer.generation()).isEqualTo(1);

        // IPV6_V6ONLY: IPv4 clients are not served by [::], so a PORT socket can sit beside it.
        assertThat(Client.refused(port)).isTrue();
    }

    @Test
    void noPortAndNoPathGivesAnEmptyServerStarterPort() {
        StartServerRun run = startWith();
        ChildReport report = ChildReport.await(tmp, 1, run);

        assertThat(report.env).containsEntry("SERVER_STARTER_PORT", "");
    }

    @Test
    void backlogIsPassedToListen() throws Exception {
        assumeSs();
        int port = FreePorts.tcp();
        startWith("--port=127.0.0.1:" + port, "--backlog=7");

        // ss shows a listening socket's backlog as Send-Q.
        Waits.until("a listener on " + port + " with backlog 7", () -> ssListeners(port).stream().anyMatch(l -> l.sendQ().equals("7")));
    }

    @Test
    void theDefaultBacklogIsSomaxconnCappedByTheKernel() throws Exception {
        assumeSs();
        int port = FreePorts.tcp();
        startWith("--port=127.0.0.1:" + port);

        int somaxconn = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/core/somaxconn")).get(0).trim());
        // The C library's SOMAXCONN is 4096 on current glibc (128 on old ones); the kernel caps listen() at its own.
        String expected = Integer.toString(Math.min(somaxconn, 4096));
        Waits.until("a listener on " + port + " with backlog " + expected,
                () -> ssListeners(port).stream().anyMatch(l -> l.sendQ().equals(expected)));
    }

    @Test
    void socketsAreHandedOverWithSoReuseaddr() throws Exception {
        // A port with a connection in TIME_WAIT must be bindable again at once: restart after restart.
        int port = FreePorts.tcp();
        StartServerRun first = startWith("--port=127.0.0.1:" + port);
        Client.awaitAnswer(first, port);
        first.signal("TERM");
        assertThat(first.awaitExit()).isZero();

        StartServerRun second = startWith("--port=127.0.0.1:" + port);
        assertThat(Client.awaitAnswer(second, port).generation()).isEqualTo(1);
    }

    record SsLine(String local, String sendQ) {
    }

    /**
     * ss(8) from iproute2 is the one tool that shows a listening socket's backlog (.ci/run installs
     * it). Called before any wait: inside an Awaitility probe, which ignores exceptions, the
     * assumption would time out the test instead of skipping it.
     */
    private static void assumeSs() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ss")) || Files.isExecutable(Path.of("/bin/ss")),
                "ss (iproute2) is not installed");
    }

    private static List<SsLine> ssListeners(int port) throws Exception {
        Process ss = new ProcessBuilder("ss", "-Hltn", "sport = :" + port).redirectErrorStream(true).start();
        String out = new String(ss.getInputStream().readAllBytes());
        ss.waitFor();
        List<SsLine> lines = new ArrayList<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4) {
                lines.add(new SsLine(f[3], f[2]));
            }
        }
        return lines;
    }

    private static List<String> listeners(int port) throws Exception {
        assumeSs();
        return Waits.until("a listener on port " + port,
                () -> {
                    List<String> local = ssListeners(port).stream().map(SsLine::local).toList();
                    return local.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(local);
                }, () -> "");
    }
}
