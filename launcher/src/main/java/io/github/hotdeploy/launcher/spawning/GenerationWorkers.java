package io.github.hotdeploy.launcher.spawning;

import io.github.hotdeploy.launcher.classcache.ClassCache;
import io.github.hotdeploy.launcher.os.Errno;
import io.github.hotdeploy.launcher.os.Native;
import io.github.hotdeploy.launcher.os.ProcNet;
import io.github.hotdeploy.launcher.readiness.AgentReports;
import io.github.hotdeploy.launcher.readiness.NotifyEndpoint;
import io.github.hotdeploy.launcher.readiness.NotifyListener;
import io.github.hotdeploy.launcher.readiness.ProcessTree;
import io.github.hotdeploy.launcher.sockets.HeldListeners;
import io.github.hotdeploy.launcher.supervision.Event;
import io.github.hotdeploy.launcher.supervision.ListenerDiagnosis;
import io.github.hotdeploy.launcher.supervision.Snapshot;
import io.github.hotdeploy.launcher.supervision.Workers;
import io.github.hotdeploy.protocol.Readiness;
import io.github.hotdeploy.protocol.ServerStarterPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The real {@link Workers}: generations are posix_spawn'ed with their sockets and, unless the
 * agent is off, with the agent for every JVM they start, a notify socket for the agent's reports,
 * and the ports start_server holds for them ({@link HeldListeners}).
 */
public final class GenerationWorkers implements Workers {
    private static final int WNOHANG = 1;

    /**
     * A held port that the serving generation has not adopted after serving this long is let go:
     * the application no longer listens there (its configuration changed between generations).
     */
    static final Duration RELEASE_UNUSED_AFTER = Duration.ofSeconds(60);

    /**
     * How every generation is started.
     *
     * @param sockets start_server's socket fds and their numbers in the child
     * @param servedPorts the TCP ports of those sockets (never held as extras)
     * @param servedListeners start_server's TCP listeners: key to start_server's fd
     * @param program the command's program as resolved on the PATH (null if it was not found)
     * @param launch whether the program is known to start a JVM
     * @param agentJar the agent for every JVM of a generation, or null (--java-agent=off)
     * @param agentOptions the agent's argument string (after {@code =}), or empty
     * @param notifyDirectory where the per-generation notify sockets live, or null for none
     * @param awaitReadyFromAll every generation must report READY=1 (--wait-ready=always)
     * @param awaitAgents a generation with a live JVM that runs the agent is waited for too
     *     (--wait-ready=auto)
     * @param classCache the class caches of a {@code java} child, or null for none
     */
    public record Plan(List<String> argv, String directory, List<SpawnRequest.FdMapping> sockets,
                       Set<Integer> servedPorts, Map<String, Integer> servedListeners, ChildEnvironment environment, Path program, JavaLaunch launch,
                       Path agentJar, String agentOptions, Path notifyDirectory, boolean awaitReadyFromAll,
                       boolean awaitAgents, ClassCache classCache) {
    }

    private final Native nat;
    private final ChildSpawner spawner;
    private final Plan plan;
    private final Consumer<Event> events;
    private final Consumer<String> log;
    private final LongSupplier clock;
    private final Map<Long, NotifyEndpoint> endpoints = new HashMap<>();
    private final Map<Long, AgentReports> reports = new HashMap<>();
    /** Reports of the generations reaped since the last spawn, for {@link #failureCause}. */
    private final Map<Long, AgentReports> reaped = new HashMap<>();
    private final Map<Long, Integer> generations = new HashMap<>();
    private final Set<Long> awaitingReady = new HashSet<>();
    private final Map<Long, Snapshot.ClassCacheUse> cacheUse = new HashMap<>();
    /**
     * As PID 1 (a container's init) every orphan of the container becomes start_server's child,
     * and only start_server can reap it: then every exited child is collected, the generations'
     * statuses kept for {@link #reap}, the others dropped.
     */
    private final boolean initOfContainer;
    private final Set<Long> spawned = new HashSet<>();
    private final Map<Long, Integer> collected = new HashMap<>();
    private final HeldListeners held;
    private Assembler assembler;
    private long serving;
    private long servingSince;

    /**
     * @param events where READY=1 reports and a recording generation's end of its application go:
     *     the supervisor's queue
     */
    public GenerationWorkers(Native nat, ChildSpawner spawner, Plan plan, Consumer<Event> events, Consumer<String> log) {
        this.nat = nat;
        this.spawner = spawner;
        this.plan = plan;
        this.events = events;
        this.log = log;
        this.initOfContainer = nat.getpid() == 1;
        this.clock = System::nanoTime;
        this.held = new HeldListeners(nat, log);
        if (plan.classCache() != null) {
            assembler = new Assembler();
            plan.classCache().assembleWith(assembler);
            plan.classCache().watchExitsWith(new RecordingExits());
        }
    }

    /** The class cache's assembly JVMs: children of start_server, but no generation. */
    private final class Assembler implements ClassCache.Assembler {
        private final Set<Long> running = new HashSet<>();

        @Override
        public long start(List<String> argv, Map<String, String> environment, String directory) throws java.io.IOException {
            long pid;
            try {
                pid = spawner.spawn(new SpawnRequest(argv, environment, directory, List.of(), true, false));
            } catch (SpawnFailure e) {
                throw new java.io.IOException(e.getMessage());
            }
            running.add(pid);
            nat.setPriority(pid, ClassCache.ASSEMBLY_NICE);
            return pid;
        }

        @Override
        public OptionalInt reap(long pid) {
            Integer early = collected.remove(pid);
            int[] status = new int[1];
            int r = early != null ? (int) pid : nat.waitpid(pid, status, WNOHANG);
            if (r == pid || (r < 0 && nat.errno() == Errno.ECHILD)) {
                running.remove(pid);
                return OptionalInt.of(early != null ? early : r == pid ? status[0] : -1);
            }
            return OptionalInt.empty();
        }

        @Override
        public void kill(long pid) {
            nat.kill(pid, 9);
        }

        @Override
        public void await(long pid) {
            if (collected.remove(pid) == null) {
                nat.waitpid(pid, new int[1], 0);
            }
            running.remove(pid);
        }
    }

    /** The class cache's hold on recording generations as they exit: pidfds. */
    private final class RecordingExits implements ClassCache.Exits {
        @Override
        public int hold(long pid) {
            int pidfd = nat.pidfdOpen(pid);
            return pidfd >= 0 ? pidfd : -1;
        }

        @Override
        public boolean kill(int handle) {
            return nat.pidfdSendSignal(handle, 9) == 0;
        }

        @Override
        public void lowerPriority(int handle, long pid) {
            // setpriority(2) on Linux sets one thread: each of the JVM's, while it is still the one held.
            try (java.nio.file.DirectoryStream<Path> tasks = java.nio.file.Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
                for (Path task : tasks) {
                    if (nat.pidfdSendSignal(handle, 0) != 0) {
                        return;
                    }
                    nat.setPriority(Long.parseLong(task.getFileName().toString()), ClassCache.ASSEMBLY_NICE);
                }
            } catch (java.io.IOException | RuntimeException e) {
                // gone meanwhile: nothing left to lower
            }
        }

        @Override
        public void applicationDown(long pid) {
            events.accept(new Event.ApplicationDown(pid));
        }

        @Override
        public void release(int handle) {
            nat.close(handle);
        }
    }

    private boolean injects() {
        return plan.agentJar() != null;
    }

    @Override
    public long spawn(int generation, boolean afterFirstWakeup) throws WorkerSpawnException {
        Map<String, String> env;
        try {
            env = new LinkedHashMap<>(plan.environment().forGeneration(generation, afterFirstWakeup));
        } catch (ChildEnvironment.Unusable e) {
            throw new WorkerSpawnException("not starting generation " + generation + ": " + e.getMessage());
        }
        List<String> argv = new ArrayList<>(plan.argv());
        List<SpawnRequest.FdMapping> fds = new ArrayList<>(plan.sockets());
        reaped.clear();
        if (injects()) {
            holdTheServingGenerationsPorts();
        }
        NotifyEndpoint endpoint = null;
        if (plan.notifyDirectory() != null) {
            try {
                endpoint = NotifyEndpoint.open(nat, plan.notifyDirectory(), generation);
                env.put(Readiness.NOTIFY_SOCKET_ENV, EnvBytes.fromText(endpoint.path().toString()));
            } catch (NotifyEndpoint.NotifyException e) {
                log.accept("start_server: warning: " + e.getMessage() + "; readiness reports are off for this generation");
            }
        }
        // Found again for each generation: an envdir may change what a wrapper in front of it finds.
        JavaProgram java = plan.launch() == JavaLaunch.JAVA_EXECUTABLE
                ? JavaProgram.find(plan.program(), argv, env, plan.directory()) : null;
        List<String> javaCommand = java == null ? null : new ArrayList<>(java.command());
        if (injects()) {
            if (java != null) {
                javaCommand.add(1, AgentInjection.option(java.java(), java.command().subList(1, java.command().size()),
                        java.environment(), plan.agentJar(), plan.agentOptions()));
            } else {
                // Any program may start JVMs, at any depth (wrappers, scripts, jsvc through JNI):
                // every one of them reads JAVA_TOOL_OPTIONS. A modular one too: the form that always starts.
                String javaagent = EnvBytes.fromText(AgentInjection.javaagent(plan.agentJar(), plan.agentOptions()));
                String existing = env.get("JAVA_TOOL_OPTIONS");
                env.put("JAVA_TOOL_OPTIONS", existing == null || existing.isBlank() ? javaagent : existing + " " + javaagent);
            }
            if (endpoint != null) {
                int fd = firstFreeFd(fds);
                fds.add(new SpawnRequest.FdMapping(endpoint.senderFd(), fd));
                env.put(Readiness.NOTIFY_FD_ENV, Integer.toString(fd));
            }
            StringBuilder extras = new StringBuilder();
            for (HeldListeners.Held h : held.list()) {
                int fd = firstFreeFd(fds);
                fds.add(new SpawnRequest.FdMapping(h.fd(), fd));
                extras.append(extras.length() == 0 ? "" : ";").append(h.key()).append('=').append(fd);
            }
            if (extras.length() > 0) {
                env.put(ServerStarterPort.EXTRA_ENV, extras.toString());
            }
        }
        ClassCache.Prepared cache = null;
        if (plan.classCache() != null && java != null) {
            // Behind wrappers, the JVM's environment as found above, before the notify fd and the
            // held ports were added: start_server's own variables, which the cache leaves out anyway.
            cache = plan.classCache().prepare(generation, java.java(), List.copyOf(javaCommand), java.environment(),
                    Path.of(java.directory() == null ? "" : java.directory()).toAbsolutePath(), java.directory(),
                    Set.of(ServerStarterPort.ENV, ServerStarterPort.EXTRA_ENV, ServerStarterPort.GENERATION_ENV,
                            Readiness.NOTIFY_SOCKET_ENV, Readiness.NOTIFY_FD_ENV));
            javaCommand.addAll(1, cache.options());
        }
        if (java != null) {
            argv = java.argv(javaCommand);
        }
        long pid;
        try {
            pid = spawner.spawn(new SpawnRequest(argv, env, plan.directory(), fds, false, false));
        } catch (SpawnFailure e) {
            if (endpoint != null) {
                endpoint.close();
            }
            throw new WorkerSpawnException(e.getMessage());
        }
        spawned.add(pid);
        if (cache != null) {
            cache.spawned(pid);
            switch (cache.kind()) {
                case USE -> cacheUse.put(pid, Snapshot.ClassCacheUse.CACHED);
                case RECORD -> cacheUse.put(pid, Snapshot.ClassCacheUse.RECORDING);
                case NONE -> { }
            }
        }
        generations.put(pid, generation);
        if (endpoint != null) {
            endpoint.senderHandedOver();
            endpoints.put(pid, endpoint);
            AgentReports generationReports = new AgentReports();
            reports.put(pid, generationReports);
            new NotifyListener(nat, endpoint, pid, ready -> events.accept(new Event.Ready(ready)), generationReports, log).start();
            if (plan.awaitReadyFromAll() || (plan.awaitAgents() && injects() && plan.launch() != JavaLaunch.OTHER)) {
                awaitingReady.add(pid);
            }
        }
        return pid;
    }

    /**
     * Before a new generation starts: take over the ports the serving generation bound itself and
     * listens on, so that the new one can adopt them; let go of held ones it no longer uses.
     */
    private void holdTheServingGenerationsPorts() {
        AgentReports current = reports.get(serving);
        if (serving == 0 || current == null) {
            return;
        }
        held.takeOver(current.ownBinds(), plan.servedPorts(), generations.getOrDefault(serving, 0));
        if (clock.getAsLong() - servingSince >= RELEASE_UNUSED_AFTER.toNanos()) {
            Set<String> inUse = new HashSet<>(current.adopted());
            current.ownBinds().forEach(b -> inUse.add(b.key()));
            for (HeldListeners.Held h : held.list()) {
                if (!inUse.contains(h.key())) {
                    held.release(h.key());
                }
            }
        }
    }

    private static int firstFreeFd(List<SpawnRequest.FdMapping> fds) {
        Set<Integer> used = new HashSet<>();
        fds.forEach(m -> used.add(m.target()));
        int fd = 3;
        while (used.contains(fd)) {
            fd++;
        }
        return fd;
    }

    @Override
    public boolean expectsReadiness(long pid) {
        return awaitingReady.contains(pid);
    }

    @Override
    public Optional<String> agentRunning(long pid) {
        AgentReports generation = reports.get(pid);
        if (!plan.awaitAgents() || generation == null) {
            return Optional.empty();
        }
        for (long jvm : generation.agents()) {
            if ((jvm == pid || ProcessTree.isDescendant(jvm, pid)) && ProcessTree.isAlive(jvm)) {
                return Optional.of("JVM " + jvm);
            }
        }
        // A JVM that has the agent coming but has not reached it yet (slow to start on a busy
        // machine): counting the generation as started now would stop the old one before this
        // one serves.
        OptionalLong starting = ProcessTree.jvmGivenAgent(pid, plan.agentJar());
        if (starting.isPresent()) {
            return Optional.of("JVM " + starting.getAsLong() + " (given the agent, not heard from yet)");
        }
        return Optional.empty();
    }

    @Override
    public void serving(long pid) {
        serving = pid;
        servingSince = clock.getAsLong();
        if (plan.classCache() != null) {
            plan.classCache().started(pid);
        }
    }

    @Override
    public Map<String, Integer> acceptQueues() {
        Map<String, Integer> queued = new LinkedHashMap<>();
        plan.servedListeners().forEach((key, fd) -> {
            int n = nat.acceptQueue(fd);
            if (n >= 0) {
                queued.put(key, n);
            }
        });
        return queued;
    }

    @Override
    public ListenerDiagnosis.Agents agents(long pid) {
        AgentReports generation = reports.get(pid);
        if (generation == null) {
            return ListenerDiagnosis.Agents.NONE;
        }
        List<Long> live = new ArrayList<>();
        for (long jvm : generation.agents()) {
            if ((jvm == pid || ProcessTree.isDescendant(jvm, pid)) && ProcessTree.isAlive(jvm)) {
                live.add(jvm);
            }
        }
        List<String> ownBinds = new ArrayList<>();
        generation.ownBinds().forEach(b -> ownBinds.add(b.key()));
        boolean ownJvm = live.contains(pid) || plan.launch() != JavaLaunch.OTHER;
        return new ListenerDiagnosis.Agents(live, generation.adopted(), ownBinds, ownJvm, started(generation));
    }

    private static List<ListenerDiagnosis.Started> started(AgentReports generation) {
        List<ListenerDiagnosis.Started> started = new ArrayList<>();
        generation.started().forEach(s -> started.add(new ListenerDiagnosis.Started(s.parent(), s.pid(), s.program())));
        return started;
    }

    /**
     * A generation's JVM bound a port of its own where another process listens: its bind failed
     * with "Address already in use", whoever holds it (an older generation whose port could not be
     * taken over, or a process start_server never started).
     */
    @Override
    public Optional<String> failureCause(long pid) {
        AgentReports generation = reaped.get(pid);
        if (generation == null) {
            return Optional.empty();
        }
        Optional<String> ownPort = ownPortTaken(generation);
        if (ownPort.isPresent()) {
            return ownPort;
        }
        // A JVM it started, which inherited none of the sockets, died binding one of them.
        for (String key : plan.servedListeners().keySet()) {
            if (!generation.adopted().contains(key)) {
                return ListenerDiagnosis.startedJvm(key, started(generation)).map(why -> "died: " + why);
            }
        }
        return Optional.empty();
    }

    private Optional<String> ownPortTaken(AgentReports generation) {
        List<ProcNet.Listener> listening = generation.ownBinds().isEmpty() ? List.of() : ProcNet.tcpListeners();
        for (AgentReports.OwnBind bind : generation.ownBinds()) {
            java.net.InetSocketAddress address = address(bind.key());
            if (address == null) {
                continue;
            }
            for (ProcNet.Listener listener : listening) {
                if (!listener.conflictsWith(address.getAddress(), address.getPort())) {
                    continue;
                }
                List<Long> holders = ProcNet.holders(listener.inode());
                boolean held = holders.remove(Long.valueOf(nat.getpid()));
                String what = "died after its JVM " + bind.pid() + " bound " + bind.key() + ": \"Address already in use\", ";
                if (held || holders.isEmpty()) {
                    return Optional.of(what + "start_server holds that port, yet the agent did not adopt it there"
                            + " (was that class loaded after the agent's start? see docs/agent.md#costs)");
                }
                long holder = holders.get(0);
                Optional<Integer> ours = generationOf(holder);
                if (ours.isPresent()) {
                    return Optional.of(what + "generation " + ours.get() + " (pid " + holder + ") still listens there and"
                            + " start_server could not take the port over from it (see the warning above): give that port"
                            + " to start_server with --port");
                }
                return Optional.of(what + "pid " + holder + " (" + ProcNet.commandLine(holder) + ") listens there, a"
                        + " process this start_server did not start: stop it, or change the application's port");
            }
        }
        return Optional.empty();
    }

    private Optional<Integer> generationOf(long pid) {
        for (Map.Entry<Long, Integer> g : generations.entrySet()) {
            if (g.getKey() == pid || ProcessTree.isDescendant(pid, g.getKey())) {
                return Optional.of(g.getValue());
            }
        }
        return Optional.empty();
    }

    private static java.net.InetSocketAddress address(String key) {
        try {
            io.github.hotdeploy.protocol.InheritedSocket socket = io.github.hotdeploy.protocol.InheritedSocket.of(key, 0);
            if (socket.host() == null) {
                return null;
            }
            return new java.net.InetSocketAddress(java.net.InetAddress.getByName(socket.host()), socket.port());
        } catch (IllegalArgumentException | java.net.UnknownHostException e) {
            return null;
        }
    }

    @Override
    public void settled(long pid) {
        awaitingReady.remove(pid);
    }

    @Override
    public void signal(long pid, int signal) {
        if (plan.classCache() != null) {
            plan.classCache().signalled(pid);
        }
        nat.kill(pid, signal);
    }

    @Override
    public void stopping() {
        if (plan.classCache() != null) {
            plan.classCache().stopping();
        }
    }

    @Override
    public void reapOthers() {
        if (plan.classCache() != null) {
            plan.classCache().collect();
        }
        if (!initOfContainer) {
            return;
        }
        int[] status = new int[1];
        for (int r = nat.waitpid(-1, status, WNOHANG); r > 0; r = nat.waitpid(-1, status, WNOHANG)) {
            if (spawned.contains((long) r) || (assembler != null && assembler.running.contains((long) r))) {
                collected.put((long) r, status[0]);
            }
        }
    }

    @Override
    public OptionalInt reap(long pid) {
        Integer early = collected.remove(pid);
        if (early != null) {
            return gone(pid, early);
        }
        int[] status = new int[1];
        int r = nat.waitpid(pid, status, WNOHANG);
        if (r == pid) {
            return gone(pid, status[0]);
        }
        if (r < 0 && nat.errno() == Errno.ECHILD) {
            return gone(pid, -1); // not our child any more (reaped elsewhere): gone, status unknown
        }
        return OptionalInt.empty();
    }

    private OptionalInt gone(long pid, int status) {
        spawned.remove(pid);
        forget(pid);
        if (plan.classCache() != null) {
            plan.classCache().exited(pid, status);
        }
        return OptionalInt.of(status);
    }

    private void forget(long pid) {
        settled(pid);
        NotifyEndpoint endpoint = endpoints.remove(pid);
        if (endpoint != null) {
            endpoint.close();
        }
        AgentReports gone = reports.remove(pid);
        if (gone != null) {
            reaped.put(pid, gone);
        }
        generations.remove(pid);
        cacheUse.remove(pid);
    }

    @Override
    public Snapshot.ClassCacheUse classCache(long pid) {
        return cacheUse.getOrDefault(pid, Snapshot.ClassCacheUse.NONE);
    }

    /** Closes every notify socket and every held port (at exit). */
    public void closeAll() {
        for (Long pid : List.copyOf(endpoints.keySet())) {
            forget(pid);
        }
        held.close();
        if (plan.classCache() != null) {
            plan.classCache().stop();
        }
    }
}
