package io.github.hotdeploy.integration.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.hotdeploy.integration.support.App;
import io.github.hotdeploy.integration.support.AppReply;
import io.github.hotdeploy.testsupport.Http;
import io.github.hotdeploy.testsupport.Jdk;
import io.github.hotdeploy.testsupport.KeepAliveClients;
import io.github.hotdeploy.testsupport.Listen;
import io.github.hotdeploy.testsupport.ProcFs;
import io.github.hotdeploy.testsupport.Repo;
import io.github.hotdeploy.testsupport.StartServerRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.opentest4j.TestAbortedException;

/**
 * The hot-deploy check every server goes through, with one start_server for both JDKs (see
 * {@link #hotDeploy}):
 * <ol>
 *   <li>generation 1 serves GET / (200, its own pid, SERVER_STARTER_GENERATION=1);</li>
 *   <li>it serves on start_server's socket: the only listening socket on the address is the one
 *       start_server holds, and the app's JVM holds that same socket inode on a descriptor of its
 *       own (the agent's adoption), not only on the inherited one;</li>
 *   <li>the agent said it was ready;</li>
 *   <li>after SIGHUP generation 2 (another pid) serves on the same socket inode, and generation
 *       1's processes are gone;</li>
 *   <li>clients that keep their connections alive and never resend a request (TCP apps), busy
 *       through the restart, lose no request: each connection to generation 1 is ended by a
 *       response that says {@code Connection: close}, the drain's doing.</li>
 * </ol>
 * Everything waits on conditions with bounds generous enough for a loaded two-core machine.
 */
abstract class HotDeployTestBase {

    /** From spawn to serving: Spring Boot or a Tomcat distribution under C1 on two busy cores. */
    private static final Duration START = Duration.ofSeconds(120);
    /** From the new generation serving until the old one is reaped (graceful stops included). */
    private static final Duration OLD_GONE = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(200);

    private static final String READY_LINE = "start_server-agent: ready: accepting on [";

    private StartServerRun run;

    /** The app under test, started the same way on every JDK. */
    protected abstract App app();

    /** The generation's worker (start_server's child) and the JVM that answered for it. */
    private record Generation(int number, long workerPid, long jvmPid) {
    }

    /** How many restarts (HUPs) the check goes through. */
    protected int restarts() {
        return 1;
    }

    /** Told when a generation serves and has passed the checks (before the next HUP): more checks. */
    protected void served(int generation, long jvmPid, StartServerRun run) throws Exception {
    }

    /**
     * Whether the app's JVM drains on its stop signal, so that keep-alive clients busy through
     * the restart lose nothing (checked only then).
     */
    protected boolean drains() {
        return true;
    }

    /** Tells the work directories of a parameterized test's cases apart. */
    protected String caseName() {
        return "";
    }

    /**
     * Runs the check with one start_server on the JDKs given: generation N on the Nth of them, round
     * and round, with at least one restart per JDK, so that each JDK serves both as the generation
     * that takes over and as the one that drains (17, 25, 17). start_server runs the app's java
     * through a link ({@code WORK/jdk}) that the test re-points before each HUP, as an operator
     * switches a {@code /usr/lib/jvm} link. A JDK that is missing is a skip with its reason, after
     * the run on the others (a failure under CI): never a silent shrink.
     */
    protected void hotDeploy(Jdk... jdks) throws Exception {
        List<Jdk> present = new ArrayList<>();
        TestAbortedException missing = null;
        for (Jdk jdk : jdks) {
            try {
                jdk.requireInstalled();
                present.add(jdk);
            } catch (TestAbortedException e) {
                missing = missing == null ? e : missing;
            }
        }
        if (present.isEmpty()) {
            throw missing;
        }
        hotDeployOn(present);
        if (missing != null) {
            throw new TestAbortedException("ran on " + present + " only: " + missing.getMessage());
        }
    }

    private void hotDeployOn(List<Jdk> jdks) throws Exception {
        App app = app();
        String names = jdks.stream().map(Jdk::name).collect(Collectors.joining("-"));
        Path work = Repo.workDir(getClass().getSimpleName() + caseName() + "-" + names);
        Path link = jdks.size() > 1 ? Files.createSymbolicLink(work.resolve("jdk"), jdks.get(0).home()) : null;
        int restarts = jdks.size() > 1 ? Math.max(restarts(), jdks.size()) : restarts();
        Listen listen = startOnFreeAddress(app, jdks.get(0), link, work);
        KeepAliveClients clients = null;
        try {
            Generation previous = awaitServing(1, listen);
            long socket = assertServesOnStartServersSocket(previous, jdks.get(0), listen);
            awaitReadyLines(1, listen);
            served(1, previous.jvmPid(), run);
            if (!listen.isUnix() && drains()) {
                clients = KeepAliveClients.start(listen.port(), "/", KEEP_ALIVE_CLIENTS, 5);
                KeepAliveClients started = clients;
                await("the keep-alive clients served").atMost(START).pollInterval(POLL).until(() -> started.ok() > 0);
            }

            for (int number = 2; number <= 1 + restarts; number++) {
                Generation old = previous;
                int expected = number;
                Jdk jdk = jdks.get((number - 1) % jdks.size());
                if (link != null) {
                    repoint(link, jdk.home());
                }
                run.hup();
                Generation next = awaitServing(number, listen);
                assertThat(next.jvmPid()).as("generation %d is a new process", number).isNotEqualTo(old.jvmPid());
                assertThat(assertServesOnStartServersSocket(next, jdk, listen))
                        .as("generation %d serves on the socket generation 1 served on", number).isEqualTo(socket);
                awaitReadyLines(number, listen);
                await("generation " + old.number() + " (worker " + old.workerPid() + ", JVM " + old.jvmPid()
                        + ") reaped and generation " + number + " alone in the status file")
                        .atMost(OLD_GONE).pollInterval(POLL)
                        .until(() -> !ProcFs.exists(old.workerPid()) && !ProcFs.exists(old.jvmPid())
                                && run.generations().keySet().equals(Set.of(expected)));
                assertThat(run.log()).as("start_server's log")
                        .contains("new worker is now running, sending TERM to old workers:" + old.workerPid());
                served(number, next.jvmPid(), run);
                previous = next;
            }
            if (clients != null) {
                clients.close();
                assertThat(clients.failures()).as("requests of keep-alive clients that never resend").isEmpty();
                assertThat(clients.endedByServer()).as("keep-alive connections ended by a response saying close")
                        .isGreaterThanOrEqualTo(KEEP_ALIVE_CLIENTS);
            }
        } catch (AssertionError | Exception e) {
            if (!(e instanceof TestAbortedException)) {
                e.addSuppressed(new AssertionError("start_server's log (" + work.resolve("start_server.log") + "):\n"
                        + run.log()));
            }
            throw e;
        } finally {
            if (clients != null) {
                clients.close();
            }
        }
    }

    /** Points the link at another JDK home in one rename: a generation starting meanwhile sees one or the other. */
    private static void repoint(Path link, Path home) throws IOException {
        Path next = link.resolveSibling(link.getFileName() + ".next");
        Files.deleteIfExists(next);
        Files.createSymbolicLink(next, home);
        Files.move(next, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static final int KEEP_ALIVE_CLIENTS = 4;

    @AfterEach
    void stopEverything() {
        if (run != null) {
            run.close();
            run = null;
        }
    }

    /**
     * Starts start_server on a free port. The port was free when picked; if something else took it
     * before start_server bound it, start_server exits at once saying so, and another port is tried.
     */
    private Listen startOnFreeAddress(App app, Jdk jdk, Path link, Path work) throws Exception {
        for (int attempt = 1; ; attempt++) {
            Listen listen = app.listen(work);
            App.Command command = link == null ? app.command(jdk, listen, work) : app.command(link, listen, work);
            run = StartServerRun.start(work, listen, List.of(), command.argv(), command.env());
            StartServerRun started = run;
            // start_server binds before anything else, then logs this line.
            await("start_server bound " + listen).atMost(START).pollInterval(POLL)
                    .until(() -> !started.isAlive() || started.log().contains("starting now..."));
            if (started.isAlive() || attempt == 3 || !started.log().contains("Address already in use")) {
                return listen;
            }
            started.close();
        }
    }

    /** Waits until generation N is live and answers GET / as itself (the previous one may still run). */
    private Generation awaitServing(int number, Listen listen) {
        AtomicReference<Generation> serving = new AtomicReference<>();
        await("generation " + number + " serving GET / on " + listen)
                .atMost(START).pollInterval(POLL)
                .failFast("start_server exited", () -> !run.isAlive())
                // A poll that lands on the old generation as it is TERMed can be reset: not this check's
                // subject (draining is the agent's), so it only means "poll again".
                .ignoreExceptionsInstanceOf(IOException.class)
                .untilAsserted(() -> {
                    Map<Integer, Long> live = run.generations();
                    assertThat(live).as("status file").containsKey(number);
                    long worker = live.get(number);
                    run.remember(worker);
                    Http.Response reply = Http.getToClose(listen, "/");
                    assertThat(reply.status()).as("GET / status, body '%s'", reply.body()).isEqualTo(200);
                    AppReply body = AppReply.parse(reply.body());
                    assertThat(body.generation()).as("generation in '%s'", reply.body()).isEqualTo(String.valueOf(number));
                    run.remember(body.pid());
                    assertThat(body.pid() == worker || isDescendant(body.pid(), worker))
                            .as("the JVM that answered (pid %d) is worker %d or runs under it", body.pid(), worker).isTrue();
                    serving.set(new Generation(number, worker, body.pid()));
                });
        return serving.get();
    }

    /**
     * Proves with the kernel's socket inodes that the generation's JVM accepts on start_server's
     * socket, and returns that inode.
     */
    private long assertServesOnStartServersSocket(Generation generation, Jdk jdk, Listen listen) throws Exception {
        long jvm = generation.jvmPid();
        assertThat(ProcFs.runsJvmOf(jvm, jdk.home())).as("generation %d's JVM %d runs on %s (its java, or its libjvm"
                + " in a launcher such as jsvc)", generation.number(), jvm, jdk).isTrue();

        List<Long> listening = ProcFs.listeningInodes(listen);
        assertThat(listening).as("listening sockets on %s: start_server's must be the only one", listen).hasSize(1);
        long socket = listening.get(0);
        assertThat(ProcFs.socketFds(run.pid())).as("start_server's sockets (fd=inode)").containsValue(socket);

        OptionalInt inherited = ProcFs.inheritedFd(jvm, listen);
        assertThat(inherited).as("%s in SERVER_STARTER_PORT of JVM %d", listen, jvm).isPresent();
        Map<Integer, Long> jvmSockets = ProcFs.socketFds(jvm);
        assertThat(jvmSockets.entrySet())
                .as("JVM %d's sockets (fd=inode): its own listening fd must be start_server's socket %d,"
                        + " beside the inherited fd %d", jvm, socket, inherited.getAsInt())
                .anyMatch(fd -> fd.getValue() == socket && fd.getKey() != inherited.getAsInt());
        return socket;
    }

    /** The agent's "ready" line, once per generation so far, for this address. */
    private void awaitReadyLines(int count, Listen listen) {
        Pattern ready = Pattern.compile(Pattern.quote(READY_LINE + listen.key() + "]"));
        await("agent's ready line #" + count + " for " + listen + " in start_server's log")
                .atMost(Duration.ofSeconds(30)).pollInterval(POLL)
                .until(() -> ready.matcher(run.log()).results().count() >= count);
    }

    private static boolean isDescendant(long pid, long ancestor) {
        return ProcessHandle.of(ancestor).map(a -> a.descendants().anyMatch(d -> d.pid() == pid)).orElse(false);
    }
}
