package io.github.hotdeploy.launcher.spawning;

import io.github.hotdeploy.launcher.classcache.ClassCache;
import io.github.hotdeploy.launcher.os.Errno;
import io.github.hotdeploy.launcher.os.Native;
import io.github.hotdeploy.launcher.readiness.NotifyEndpoint;
import io.github.hotdeploy.launcher.readiness.NotifyListener;
import io.github.hotdeploy.launcher.supervision.Workers;
import io.github.hotdeploy.protocol.Readiness;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The real {@link Workers}: generations are posix_spawn'ed with their sockets, and, where the
 * plan says so, with the agent injected and a notify socket to report readiness on.
 */
public final class GenerationWorkers implements Workers {
    private static final int WNOHANG = 1;

    /**
     * How every generation is started.
     *
     * @param sockets start_server's socket fds and their numbers in the child
     * @param program the command's program as resolved on the PATH (null if it was not found)
     * @param launch whether the program starts a JVM
     * @param agentJar the agent to inject into a JVM, or null
     * @param agentOptions the agent's argument string (after {@code =}), or empty
     * @param notifyDirectory where the per-generation notify sockets live, or null for none
     * @param awaitReadyFromAll every generation must report READY=1 (--wait-ready=always)
     * @param classCache the class caches of a {@code java} child, or null for none
     */
    public record Plan(List<String> argv, String directory, List<SpawnRequest.FdMapping> sockets,
                       ChildEnvironment environment, Path program, JavaLaunch launch, Path agentJar, String agentOptions,
                       Path notifyDirectory,
                       boolean awaitReadyFromAll, ClassCache classCache) {
    }

    private final Native nat;
    private final ChildSpawner spawner;
    private final Plan plan;
    private final Consumer<Long> onReady;
    private final Consumer<String> log;
    private final Map<Long, NotifyEndpoint> endpoints = new HashMap<>();
    private final Set<Long> awaitingReady = new HashSet<>();
    /**
     * As PID 1 (a container's init) every orphan of the container becomes start_server's child,
     * and only start_server can reap it: then every exited child is collected, the generations'
     * statuses kept for {@link #reap}, the others dropped.
     */
    private final boolean initOfContainer;
    private final Set<Long> spawned = new HashSet<>();
    private final Map<Long, Integer> collected = new HashMap<>();

    public GenerationWorkers(Native nat, ChildSpawner spawner, Plan plan, Consumer<Long> onReady, Consumer<String> log) {
        this.nat = nat;
        this.spawner = spawner;
        this.plan = plan;
        this.onReady = onReady;
        this.log = log;
        this.initOfContainer = nat.getpid() == 1;
    }

    private boolean injects() {
        return plan.agentJar() != null && plan.launch() != JavaLaunch.OTHER;
    }

    @Override
    public long spawn(int generation, boolean afterFirstWakeup) throws WorkerSpawnException {
        Map<String, String> env;
        try {
            env = new java.util.LinkedHashMap<>(plan.environment().forGeneration(generation, afterFirstWakeup));
        } catch (ChildEnvironment.Unusable e) {
            throw new WorkerSpawnException("not starting generation " + generation + ": " + e.getMessage());
        }
        List<String> argv = new ArrayList<>(plan.argv());
        List<SpawnRequest.FdMapping> fds = new ArrayList<>(plan.sockets());
        NotifyEndpoint endpoint = null;
        if (plan.notifyDirectory() != null) {
            try {
                endpoint = NotifyEndpoint.open(nat, plan.notifyDirectory(), generation);
                env.put(Readiness.NOTIFY_SOCKET_ENV, EnvBytes.fromText(endpoint.path().toString()));
            } catch (NotifyEndpoint.NotifyException e) {
                log.accept("start_server: warning: " + e.getMessage() + "; readiness reports are off for this generation");
            }
        }
        if (injects()) {
            if (plan.launch() == JavaLaunch.JAVA_EXECUTABLE) {
                argv.add(1, AgentInjection.option(plan.program(), argv.subList(1, argv.size()), env,
                        plan.agentJar(), plan.agentOptions()));
            } else {
                // every JVM the script starts reads it, a modular one too: the form that always starts
                String javaagent = EnvBytes.fromText(AgentInjection.javaagent(plan.agentJar(), plan.agentOptions()));
                String existing = env.get("JAVA_TOOL_OPTIONS");
                env.put("JAVA_TOOL_OPTIONS", existing == null || existing.isBlank() ? javaagent : existing + " " + javaagent);
            }
            if (endpoint != null) {
                int fd = firstFreeFd(fds);
                fds.add(new SpawnRequest.FdMapping(endpoint.senderFd(), fd));
                env.put(Readiness.NOTIFY_FD_ENV, Integer.toString(fd));
            }
        }
        ClassCache.Prepared cache = null;
        if (plan.classCache() != null && plan.launch() == JavaLaunch.JAVA_EXECUTABLE) {
            cache = plan.classCache().prepare(generation, plan.program(), argv, env,
                    Path.of(plan.directory() == null ? "" : plan.directory()).toAbsolutePath(), injects());
            argv.addAll(1, cache.options());
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
        }
        if (endpoint != null) {
            endpoint.senderHandedOver();
            endpoints.put(pid, endpoint);
            new NotifyListener(nat, endpoint, pid, onReady, log).start();
            if (plan.awaitReadyFromAll() || injects()) {
                awaitingReady.add(pid);
            }
        }
        return pid;
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
    public void settled(long pid) {
        awaitingReady.remove(pid);
        NotifyEndpoint endpoint = endpoints.remove(pid);
        if (endpoint != null) {
            endpoint.close();
        }
    }

    @Override
    public void signal(long pid, int signal) {
        nat.kill(pid, signal);
    }

    @Override
    public void reapOthers() {
        if (!initOfContainer) {
            return;
        }
        int[] status = new int[1];
        for (int r = nat.waitpid(-1, status, WNOHANG); r > 0; r = nat.waitpid(-1, status, WNOHANG)) {
            if (spawned.contains((long) r)) {
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
        settled(pid);
        if (plan.classCache() != null) {
            plan.classCache().exited(pid, status);
        }
        return OptionalInt.of(status);
    }

    /** Closes every notify socket (at exit). */
    public void closeAll() {
        for (Long pid : List.copyOf(endpoints.keySet())) {
            settled(pid);
        }
    }
}
