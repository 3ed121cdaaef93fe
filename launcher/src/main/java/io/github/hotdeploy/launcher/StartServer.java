package io.github.hotdeploy.launcher;

import io.github.hotdeploy.launcher.classcache.ClassCache;
import io.github.hotdeploy.launcher.cli.Defaults;
import io.github.hotdeploy.launcher.cli.EnvDirTimers;
import io.github.hotdeploy.launcher.cli.ExitCodes;
import io.github.hotdeploy.launcher.cli.Settings;
import io.github.hotdeploy.launcher.files.LogSink;
import io.github.hotdeploy.launcher.files.PidFile;
import io.github.hotdeploy.launcher.files.StateFile;
import io.github.hotdeploy.launcher.files.StatusFile;
import io.github.hotdeploy.launcher.os.Limits;
import io.github.hotdeploy.launcher.os.Native;
import io.github.hotdeploy.launcher.os.Signals;
import io.github.hotdeploy.launcher.readiness.NotifyDirectory;
import io.github.hotdeploy.launcher.sockets.BoundSocket;
import io.github.hotdeploy.launcher.sockets.ChildFdLayout;
import io.github.hotdeploy.launcher.sockets.SocketBinder;
import io.github.hotdeploy.launcher.spawning.ChildEnvironment;
import io.github.hotdeploy.launcher.spawning.ChildSpawner;
import io.github.hotdeploy.launcher.spawning.EnvBytes;
import io.github.hotdeploy.launcher.spawning.EnvDir;
import io.github.hotdeploy.launcher.spawning.GenerationWorkers;
import io.github.hotdeploy.launcher.spawning.JavaLaunch;
import io.github.hotdeploy.launcher.spawning.ProgramResolver;
import io.github.hotdeploy.launcher.spawning.SpawnRequest;
import io.github.hotdeploy.launcher.supervision.Event;
import io.github.hotdeploy.launcher.supervision.LiveTimers;
import io.github.hotdeploy.launcher.supervision.Observer;
import io.github.hotdeploy.launcher.supervision.SignalWatcher;
import io.github.hotdeploy.launcher.supervision.Supervisor;
import io.github.hotdeploy.launcher.supervision.SupervisorSettings;
import io.github.hotdeploy.launcher.systemd.ListenFds;
import io.github.hotdeploy.launcher.systemd.PassedSocket;
import io.github.hotdeploy.launcher.systemd.SocketActivation;
import io.github.hotdeploy.launcher.systemd.SystemdNotifier;
import io.github.hotdeploy.protocol.AgentArguments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The server mode: set everything up in the original's order, hand over to the {@link Supervisor},
 * and leave nothing behind whichever way it ends. Everything that can be checked is checked
 * before anything is created, so that bad input leaves no file, socket or process.
 */
public final class StartServer {
    /** How long start_server's last lines may take to reach the log at exit. */
    public static final Duration EXIT_FLUSH = Duration.ofSeconds(2);

    /**
     * systemd's variables are start_server's alone: a generation that saw NOTIFY_SOCKET would
     * talk to systemd behind start_server's back (it gets start_server's own socket instead, when
     * its readiness is awaited), and LISTEN_* name descriptors it does not have.
     */
    static final List<String> SYSTEMD_VARIABLES = List.of(SystemdNotifier.NOTIFY_SOCKET, SystemdNotifier.WATCHDOG_USEC,
            SystemdNotifier.WATCHDOG_PID, ListenFds.LISTEN_FDS, ListenFds.LISTEN_PID, ListenFds.LISTEN_FDNAMES);

    private final Settings settings;
    private final Map<String, String> optionVariables;
    private final Map<String, String> environment;

    public StartServer(Settings settings, Map<String, String> optionVariables, Map<String, String> environment) {
        this.settings = settings;
        this.optionVariables = optionVariables;
        this.environment = environment;
    }

    public int run() throws InterruptedException {
        Native nat = Native.get();
        long pid = nat.getpid();
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        SignalWatcher.install(nat.libc(), events::add);
        Daemon.Role role = Daemon.role(environment, settings.daemonize());
        if (role != Daemon.Role.DAEMON && environment.containsKey(Daemon.ENV)) {
            Log.line("start_server: warning: ignoring " + Daemon.ENV + ", which --daemonize sets for the daemon it starts");
        }

        ProgramResolver.Resolution program =
                ProgramResolver.resolve(settings.command().get(0), settings.directory(), environment.get("PATH"));
        if (program.problem() != null) {
            Log.error(program.problem());
            return ExitCodes.FAILURE;
        }
        String layoutProblem = ChildFdLayout.beyondLimit(settings.sockets(),
                ChildFdLayout.assign(settings.sockets(), settings.logFile() != null), nat.openFilesLimit());
        if (layoutProblem != null) {
            Log.error(layoutProblem);
            return ExitCodes.FAILURE;
        }
        PidFile pidFile = null;
        LogSink log = null;
        SocketBinder.BoundSockets sockets = null;
        StatusFile statusFile = null;
        StateFile stateFile = null;
        ChildSpawner spawner = new ChildSpawner(nat);
        try {
            if (settings.pidFile() != null) {
                if (role == Daemon.Role.PARENT) {
                    if (PidFile.isLocked(nat, settings.pidFile())) {
                        Log.error("pid file " + settings.pidFile() + " is locked by a running start_server");
                        return ExitCodes.FAILURE;
                    }
                } else {
                    pidFile = PidFile.acquire(nat, settings.pidFile());
                    stateFile = new StateFile(StateFile.beside(settings.pidFile()), pid);
                }
            }
            if (settings.statusFile() != null) {
                statusFile = new StatusFile(settings.statusFile());
                try {
                    statusFile.checkWritable();
                } catch (IOException e) {
                    Log.error("failed to create a temporary file beside " + settings.statusFile() + ": " + reason(e));
                    return ExitCodes.FAILURE;
                }
            }
            // Byte for byte what start_server was given (System.getenv() has decoded it, lossily).
            Map<String, String> inherited = EnvBytes.inherited();
            Map<String, String> baseEnv = new LinkedHashMap<>(inherited);
            baseEnv.remove(Daemon.ENV);
            SYSTEMD_VARIABLES.forEach(baseEnv::remove);
            optionVariables.forEach((name, value) -> baseEnv.put(name, EnvBytes.fromText(value)));
            EnvDir.Snapshot envdir = EnvDir.read(settings.envDir());
            if (!envdir.problems().isEmpty()) {
                Log.error(String.join("; ", envdir.problems()));
                return ExitCodes.FAILURE;
            }
            Map<String, String> logEnv = new LinkedHashMap<>(baseEnv);
            logEnv.putAll(envdir.variables());

            if (settings.logFile() != null && role != Daemon.Role.PARENT) {
                log = LogSink.open(nat, settings.logFile(), spawner, logEnv, Log::outputChanged);
            } else if (settings.logFile() != null && !LogSink.isPipe(settings.logFile())) {
                LogSink.open(nat, settings.logFile(), spawner, logEnv, () -> { }).close(); // fail now, on the terminal
            }
            // Bound before the greeting (the original greets first), so that a socket that cannot
            // be bound is a one-line error.
            if (role == Daemon.Role.DAEMON) {
                sockets = Daemon.inheritedSockets(nat, environment, settings);
            } else {
                SocketActivation.Plan plan = socketActivation(nat, pid);
                if (role == Daemon.Role.PARENT && settings.sockets().size() != plan.specs().size()) {
                    Log.error("--daemonize with sockets passed by systemd needs a --port or --path for each of them");
                    return ExitCodes.FAILURE;
                }
                sockets = new SocketBinder(nat, w -> Log.line(w)).bindAll(plan.specs(), settings.backlog(),
                        settings.logFile() != null, plan.inherited());
                Log.line("start_server (pid:" + pid + ") starting now...");
                tellSocketActivation(plan, sockets);
            }
            for (BoundSocket s : sockets.list()) {
                if (s.spec().requestedFd().isPresent()) {
                    Log.line("socket is duplicated to file descriptor " + s.childFd());
                }
            }
            if (role == Daemon.Role.PARENT) {
                Daemon.spawnDaemon(nat, spawner, inherited, sockets);
                sockets.disownSocketFiles();
                return ExitCodes.OK;
            }
            if (log != null) {
                log.redirectStandardStreams();
            }
            return supervise(nat, spawner, events, sockets, new ChildEnvironment(baseEnv, settings.envDir(), envdir,
                    sockets.environmentValue()), statusFile, stateFile, log, program.path());
        } catch (PidFile.PidFileError | LogSink.LogError | SocketBinder.BindFailure | Daemon.DaemonError
                 | ListenFds.Invalid e) {
            Log.error(e.getMessage());
            return ExitCodes.FAILURE;
        } finally {
            if (sockets != null) {
                sockets.close();
            }
            if (statusFile != null) {
                statusFile.remove();
            }
            if (stateFile != null) {
                stateFile.remove(); // before the pid file's lock goes: a locked pid file always has its state beside it
            }
            if (pidFile != null) {
                pidFile.close();
            }
            if (log != null) {
                Log.flush(EXIT_FLUSH);
                Log.release();
                log.close();
            }
        }
    }

    /**
     * The sockets systemd passed (LISTEN_FDS for this pid), matched to --port and --path; with
     * none passed, the options as they are. Passed sockets no option asks for are closed now.
     */
    private SocketActivation.Plan socketActivation(Native nat, long pid) throws ListenFds.Invalid {
        List<ListenFds.Passed> passed = ListenFds.parse(environment, pid);
        if (passed.isEmpty()) {
            return new SocketActivation.Plan(settings.sockets(), List.of(), List.of());
        }
        List<PassedSocket> probed = new ArrayList<>();
        for (ListenFds.Passed p : passed) {
            PassedSocket socket = PassedSocket.probe(nat, p);
            if (socket.stream() && !socket.listening()) {
                throw new ListenFds.Invalid("systemd passed " + socket.describe() + ", a connection, not a listening "
                        + "socket: start_server needs Accept=no");
            }
            probed.add(socket);
        }
        SocketActivation.Plan plan = SocketActivation.plan(settings.sockets(), probed, host -> {
            try {
                return SocketBinder.resolveIpv4(host);
            } catch (SocketBinder.BindFailure e) {
                return null;
            }
        }, Path.of("").toAbsolutePath());
        for (PassedSocket unused : plan.unused()) {
            Log.line("start_server: warning: systemd passed " + unused.describe()
                    + ", which no --port or --path asks for; closing it");
            nat.close(unused.fd());
        }
        return plan;
    }

    private static void tellSocketActivation(SocketActivation.Plan plan, SocketBinder.BoundSockets sockets) {
        if (plan.inherited().isEmpty()) {
            return;
        }
        List<BoundSocket> bound = sockets.list();
        for (int i = 0; i < bound.size(); i++) {
            String key = bound.get(i).spec().key();
            Log.line(plan.inherited().get(i) >= 0
                    ? "using the socket systemd passed for " + key + " (fd " + plan.inherited().get(i) + ")"
                    : "systemd passed no socket for " + key + "; bound it");
        }
    }

    private int supervise(Native nat, ChildSpawner spawner, BlockingQueue<Event> events,
                          SocketBinder.BoundSockets sockets, ChildEnvironment env, StatusFile statusFile,
                          StateFile stateFile, LogSink log, Path program) throws InterruptedException {
        List<SpawnRequest.FdMapping> fds = new ArrayList<>();
        Set<Integer> servedPorts = new java.util.HashSet<>();
        Map<String, Integer> servedListeners = new LinkedHashMap<>();
        for (BoundSocket s : sockets.list()) {
            fds.add(new SpawnRequest.FdMapping(s.fd(), s.childFd()));
            if (s.spec() instanceof io.github.hotdeploy.launcher.sockets.InetListenSpec inet && !inet.udp()) {
                servedPorts.add(inet.port());
                servedListeners.put(inet.key(), s.fd());
            }
        }
        Map<String, String> firstEnvironment;
        try {
            firstEnvironment = env.forGeneration(1, false);
        } catch (ChildEnvironment.Unusable e) {
            firstEnvironment = Map.of(); // said when generation 1 is spawned
        }
        JavaLaunch launch = JavaLaunch.of(program, settings.command(), firstEnvironment, settings.directory());
        Path agentJar = agentJar();
        // With the agent, every generation gets a notify socket: its JVMs report over it, whatever
        // --wait-ready says about waiting for them.
        boolean notify = settings.readiness() == Settings.Readiness.NOTIFY || agentJar != null;
        NotifyDirectory notifyDirectory = null;
        GenerationWorkers workers = null;
        SystemdNotifier systemd = SystemdNotifier.open(nat, environment, Log::line);
        try {
            if (notify) {
                try {
                    notifyDirectory = NotifyDirectory.create(nat, Path.of(System.getProperty("java.io.tmpdir")), Log::line);
                } catch (IOException e) {
                    Log.line("start_server: warning: cannot create the notify directory (" + reason(e)
                            + "); generations count as started after --interval only");
                }
            }
            workers = new GenerationWorkers(nat, spawner, new GenerationWorkers.Plan(settings.command(),
                    settings.directory(), fds, servedPorts, servedListeners, env, program, launch, agentJar,
                    agentArguments(settings),
                    notifyDirectory == null ? null : notifyDirectory.path(),
                    settings.readiness() == Settings.Readiness.NOTIFY,
                    settings.readiness() == Settings.Readiness.AUTO, classCache(launch, pid(nat))),
                    events::add, Log::line);
            SupervisorSettings supervision = settings.supervision();
            Supervisor supervisor = new Supervisor(supervision, workers, events, Log::line,
                    generations -> writeStatus(statusFile, generations),
                    systemd == null ? stateWriter(stateFile) : Observer.both(stateWriter(stateFile), systemd),
                    systemd == null ? null : SystemdNotifier.watchdogInterval(environment, nat.getpid()),
                    log == null ? () -> "no log file to reopen" : log,
                    System::nanoTime,
                    settings.envDir() == null ? LiveTimers.fixed(supervision) : new EnvDirTimers(settings.envDir(), supervision));
            shrinkFootprint(nat);
            Log.decouple(nat); // from here on, a log reader that stops reading never stops the supervisor
            return supervisor.run() == Supervisor.Ending.STOPPED ? ExitCodes.OK : ExitCodes.STOPPED_WITH_KILL;
        } finally {
            if (systemd != null) {
                systemd.close();
            }
            if (workers != null) {
                workers.closeAll();
            }
            if (notifyDirectory != null) {
                notifyDirectory.close();
            }
        }
    }

    /**
     * Start-up leaves garbage and freed native memory behind that a long-lived, mostly idle
     * process should not keep resident: collect once and hand free malloc pages back.
     */
    private static void shrinkFootprint(Native nat) {
        System.gc();
        nat.libc().malloc_trim(0);
    }

    private static long pid(Native nat) {
        return nat.getpid();
    }

    /** The class caches, for a {@code java} child with --class-cache=auto; null otherwise. */
    private ClassCache classCache(JavaLaunch launch, long pid) {
        if (!settings.classCache()) {
            return null;
        }
        if (launch != JavaLaunch.JAVA_EXECUTABLE) {
            if (launch == JavaLaunch.JAVA_SCRIPT || settings.command().stream().anyMatch(word -> word.contains("java"))) {
                Log.line("start_server: class cache: none for a JVM that " + settings.command().get(0)
                        + " starts: only java run as the program, behind env, nice, ionice or taskset, or exec'ed by a"
                        + " sh -c string of one command gets one"
                        + " (docs/launcher.md#class-caches-for-java-children)");
            }
            return null;
        }
        if (settings.cacheDir() == null) {
            Log.line("start_server: class cache off: neither XDG_CACHE_HOME nor HOME is set; give --cache-dir");
            return null;
        }
        return ClassCache.open(Path.of(settings.cacheDir()), Defaults.CACHE_MAX_MIB * 1024 * 1024, pid, Log::line);
    }

    /**
     * The agent for every JVM a generation starts, or null: --java-agent=off, or no agent jar
     * shipped. Not only for a program known to be Java: any program may start a JVM (a wrapper,
     * a script, jsvc), and nothing short of running it tells (docs/launcher.md#java-children).
     */
    private Path agentJar() {
        if (settings.javaAgent().equals("off")) {
            return null;
        }
        if (!settings.javaAgent().equals("auto")) {
            return Path.of(settings.javaAgent());
        }
        String home = System.getProperty("start_server.home");
        Path jar = home == null ? null : Path.of(home, "lib", "server-starter-agent.jar");
        if (jar == null || !Files.isRegularFile(jar)) {
            Log.line("start_server: warning: agent jar not found" + (jar == null ? "" : " at " + jar)
                    + "; Java children run without it");
            return null;
        }
        return jar.toAbsolutePath().normalize();
    }

    /** Keeps the state file for --status and --restart; a write that fails is said once, then retried silently. */
    private static Observer stateWriter(StateFile stateFile) {
        if (stateFile == null) {
            return Observer.NONE;
        }
        boolean[] warned = new boolean[1];
        return snapshot -> {
            try {
                stateFile.write(snapshot, System.currentTimeMillis(), System.nanoTime());
                warned[0] = false;
            } catch (IOException e) {
                if (!warned[0]) {
                    Log.line("start_server: warning: cannot write the state file: " + reason(e)
                            + "; --status and --restart cannot see what start_server is doing");
                    warned[0] = true;
                }
            }
        };
    }

    private void writeStatus(StatusFile statusFile, java.util.SortedMap<Integer, Long> generations) {
        if (statusFile != null) {
            try {
                statusFile.write(generations);
            } catch (IOException e) {
                Log.error("failed to write status file " + settings.statusFile() + ": " + reason(e));
            }
        }
    }

    private static String reason(IOException e) {
        String message = e.getMessage();
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "Permission denied";
        }
        return message == null ? e.getClass().getSimpleName() : Limits.explain(message);
    }

    /**
     * The drain's bounds, always spelled out so that the agent's log and `ps` show those in force;
     * and the signals that must start a drain besides TERM: whatever start_server sends an old
     * generation on HUP and every generation on TERM.
     */
    static String agentArguments(Settings settings) {
        Set<String> others = new LinkedHashSet<>();
        for (int signal : new int[] {settings.supervision().signalOnHup().number(),
                settings.supervision().signalOnTerm().number()}) {
            if (signal != Signals.TERM) {
                others.add(Signals.name(signal));
            }
        }
        return AgentArguments.format(settings.drainTimeout().toMillis(), settings.drainGrace().toMillis(),
                List.copyOf(others));
    }

}
