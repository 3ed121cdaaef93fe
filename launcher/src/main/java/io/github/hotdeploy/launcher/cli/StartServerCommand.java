package io.github.hotdeploy.launcher.cli;

import io.github.hotdeploy.launcher.os.NamedSignal;
import io.github.hotdeploy.launcher.sockets.ChildFdLayout;
import io.github.hotdeploy.launcher.sockets.ListenSpec;
import io.github.hotdeploy.launcher.sockets.PortSpecParser;
import io.github.hotdeploy.launcher.sockets.UnixListenSpec;
import io.github.hotdeploy.launcher.spawning.ChildEnvironment;
import io.github.hotdeploy.launcher.supervision.SupervisorSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The command line, option for option the original's, plus a few of ours (marked so in --help).
 * Ours are named so that every abbreviation that is unique among the original's options stays
 * unique: none starts like one of them (r, k, i, a, b, l, h, v, po, pa, pi, di, da, sta, sto, env, ena).
 * The one exception is {@code --status}, asked for by that name: Main keeps every abbreviation
 * of {@code --status-file} meaning that, {@code --status=FILE} included.
 */
@Command(name = "start_server", sortOptions = false, usageHelpAutoWidth = true,
        versionProvider = VersionProvider.class,
        customSynopsis = {"start_server [options] -- server-prog server-arg1 server-arg2 ...",
            "start_server --restart --pid-file=FILE --status-file=FILE",
            "start_server --stop --pid-file=FILE",
            "start_server --status [--json] --pid-file=FILE"},
        description = {"A superdaemon for hot-deploying server programs: binds the sockets, spawns the "
            + "program with them in SERVER_STARTER_PORT, and on SIGHUP starts a new generation and "
            + "signals the old one only once the new one is up.", ""})
public final class StartServerCommand {

    @Option(names = "--port", paramLabel = "[HOST:]PORT[=FD]",
            description = {"TCP port to listen on, repeatable. PORT binds IPv4 0.0.0.0; HOST:PORT resolves "
                + "HOST; [V6]:PORT binds an IPv6 address only; =FD puts the socket at that fd in the child; "
                + "a u before the port (u53, 127.0.0.1:u53) binds UDP."})
    List<String> ports = new ArrayList<>();

    @Option(names = "--path", paramLabel = "PATH", description = "unix socket to listen on, repeatable.")
    List<String> paths = new ArrayList<>();

    @Option(names = "--dir", paramLabel = "DIR", description = "working directory of the server program.")
    String dir;

    @Option(names = "--interval", paramLabel = "SECS",
            description = "minimum time a new generation must live to count as started (default: " + Defaults.INTERVAL_SECONDS
                + "); [ours] one that reports readiness counts as started at its READY=1, and lives this long first "
                + "only when the option is given (default for it: " + Defaults.READY_INTERVAL_SECONDS + ").",
            converter = Converters.SecondsOrZero.class)
    Duration interval;

    @Option(names = "--signal-on-hup", paramLabel = "SIGNAL",
            description = "signal sent to old generations once a new one has started (default: " + Defaults.SIGNAL + ").",
            converter = Converters.Signal.class, defaultValue = Defaults.SIGNAL)
    NamedSignal signalOnHup;

    @Option(names = "--signal-on-term", paramLabel = "SIGNAL",
            description = "signal sent to every generation when start_server gets TERM (default: " + Defaults.SIGNAL + ").",
            converter = Converters.Signal.class, defaultValue = Defaults.SIGNAL)
    NamedSignal signalOnTerm;

    @Option(names = "--pid-file", paramLabel = "FILE", description = "write start_server's pid here (held locked).")
    String pidFile;

    @Option(names = "--status-file", paramLabel = "FILE", description = "write GENERATION:PID of live generations here.")
    String statusFile;

    @Option(names = "--envdir", paramLabel = "DIR",
            description = "directory of environment variables (one file each), re-read before every spawn; env ENVDIR.")
    String envdir;

    @Option(names = "--log-file", paramLabel = "FILE|'| CMD'",
            description = "append start_server's and the children's output to FILE, or pipe it to CMD.")
    String logFile;

    @Option(names = "--daemonize", description = "run in the background (requires --log-file).")
    boolean daemonize;

    @Option(names = "--enable-auto-restart", description = "restart on a timer; env ENABLE_AUTO_RESTART.")
    boolean enableAutoRestart;

    @Option(names = "--auto-restart-interval", paramLabel = "SECS",
            description = "auto-restart period (default: " + Defaults.AUTO_RESTART_INTERVAL_SECONDS + "); env AUTO_RESTART_INTERVAL.",
            converter = Converters.PositiveSeconds.class)
    Duration autoRestartInterval;

    @Option(names = "--kill-old-delay", paramLabel = "SECS",
            description = "wait before signalling old generations (default: " + Defaults.KILL_OLD_DELAY_AUTO_RESTART_SECONDS
                + " with auto-restart, else " + Defaults.KILL_OLD_DELAY_SECONDS + "); env KILL_OLD_DELAY.",
            converter = Converters.SecondsOrZero.class)
    Duration killOldDelay;

    @Option(names = "--backlog", paramLabel = "N", description = "listen backlog (default: " + Defaults.BACKLOG + ", SOMAXCONN; the kernel caps it).",
            converter = Converters.Backlog.class, defaultValue = "" + Defaults.BACKLOG)
    int backlog;

    @Option(names = "--wait-ready-timeout", paramLabel = "SECS",
            description = "[ours] how long a generation that reports readiness (sd_notify READY=1) may take (default: "
                + Defaults.WAIT_READY_TIMEOUT_SECONDS + ").",
            converter = Converters.PositiveSeconds.class, defaultValue = Defaults.WAIT_READY_TIMEOUT_SECONDS)
    Duration readinessTimeout;

    @Option(names = "--client-timeout", paramLabel = "SECS",
            description = "[ours] how long --restart waits for the new generation to take over (default: "
                + Defaults.CLIENT_TIMEOUT_SECONDS + ").",
            converter = Converters.PositiveSeconds.class, defaultValue = Defaults.CLIENT_TIMEOUT_SECONDS)
    Duration restartTimeout;

    @Option(names = "--wait-ready", paramLabel = "auto|always|never",
            description = "[ours] auto: a Java child with the agent counts as started once it reports READY=1 "
                + "(sd_notify), other children after --interval; always: every generation must report READY=1; "
                + "never: --interval only, as the original (default: " + Defaults.WAIT_READY + ").",
            converter = Converters.WaitReady.class, defaultValue = Defaults.WAIT_READY)
    Settings.Readiness readiness;

    @Option(names = "--java-agent", paramLabel = "auto|off|JAR",
            description = "[ours] inject the agent into Java children (auto), never (off), or inject this jar (default: " + Defaults.JAVA_AGENT + ").",
            defaultValue = Defaults.JAVA_AGENT)
    String javaAgent;

    @Option(names = "--force-kill-after", paramLabel = "SECS",
            description = "[ours] send KILL to a generation still alive this long after it was signalled "
                + "(old generations after a restart, all of them at stop), and log it (default: never, as the original).",
            converter = Converters.PositiveSeconds.class)
    Duration killAfter;

    @Option(names = "--drain-timeout", paramLabel = "SECS",
            description = "[ours] how long the agent lets a stopping Java generation finish the requests in flight "
                + "before it hands over to the application's own shutdown (default: " + Defaults.DRAIN_TIMEOUT_SECONDS + ").",
            converter = Converters.SecondsOrZero.class, defaultValue = Defaults.DRAIN_TIMEOUT_SECONDS)
    Duration drainTimeout;

    @Option(names = "--drain-grace", paramLabel = "SECS",
            description = "[ours] how long a connection of a stopping Java generation must stay idle before the agent "
                + "closes it (HTTP keep-alive; busy ones are ended by their next response) or leaves it to the "
                + "application's shutdown (other protocols) (default: " + Defaults.DRAIN_GRACE_SECONDS + ").",
            converter = Converters.SecondsOrZero.class, defaultValue = Defaults.DRAIN_GRACE_SECONDS)
    Duration drainGrace;

    @Option(names = "--class-cache", paramLabel = "auto|off",
            description = "[ours] auto: a java child (the program, behind env, nice, ionice or taskset, or exec'ed by a "
                + "sh -c string) boots from a class cache that an earlier generation of the same command recorded (the AOT cache on JDK 25+, a CDS archive on JDK 13-24), made in the background at nice 19; "
                + "off: never (default: " + Defaults.CLASS_CACHE + "; env " + Defaults.CLASS_CACHE_ENV + ").",
            converter = Converters.ClassCache.class)
    ClassCacheMode classCache;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "[ours] where the class caches live, mode 0700, at most " + Defaults.CACHE_MAX_MIB
                + " MiB, least recently used removed first (default: " + Defaults.CACHE_DIR + ").")
    Path cacheDir;

    @Option(names = "--restart", description = "send HUP to the running start_server (--pid-file) and wait until "
            + "the new generation alone is running (--status-file); exit 3 with the reason as soon as it fails to start.")
    boolean restart;

    @Option(names = "--stop", description = "send TERM to the running start_server (--pid-file) and wait until it has exited.")
    boolean stop;

    @Option(names = "--status", description = "[ours] show what the running start_server (--pid-file) is doing: "
            + "its generations, their state and readiness, the last restart and failure; exit 0 only when a "
            + "generation is serving.")
    boolean status;

    @Option(names = "--json", description = "[ours] with --status: print it as JSON, for scripts and monitoring.")
    boolean json;

    @Option(names = "--help", usageHelp = true, description = "print this help and exit.")
    boolean help;

    @Option(names = "--version", versionHelp = true, description = "print the version and exit.")
    boolean version;

    @Parameters(paramLabel = "PROGRAM", description = "the server program and its arguments.")
    List<String> command = new ArrayList<>();

    /** The end of --help: signals and environment, wrapped at the help's width. */
    public static picocli.CommandLine.IHelpSectionRenderer footer() {
        return new HelpFooter();
    }

    /** What the user asked for. */
    public enum Mode { START, RESTART, STOP, STATUS }

    public Mode mode() {
        return restart ? Mode.RESTART : stop ? Mode.STOP : status ? Mode.STATUS : Mode.START;
    }

    /** --json was given (with --status). */
    public boolean json() {
        return json;
    }

    /**
     * Validates and resolves the command line against {@code env} (start_server's environment).
     *
     * @throws UsageError naming the culprit
     */
    public Settings settings(Map<String, String> env) throws UsageError {
        List<ListenSpec> sockets = new ArrayList<>();
        for (String port : ports) {
            try {
                sockets.add(PortSpecParser.parse(port));
            } catch (IllegalArgumentException e) {
                throw new UsageError(e.getMessage());
            }
        }
        for (String path : paths) {
            sockets.add(new UnixListenSpec(path));
        }
        try {
            ChildFdLayout.assign(sockets, logFile != null); // two sockets asked for one fd
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
        Mode mode = mode();
        if (mode == Mode.RESTART && (pidFile == null || statusFile == null)) {
            throw new UsageError("--restart option requires --pid-file and --status-file to be set as well");
        }
        if (mode == Mode.STOP && pidFile == null) {
            throw new UsageError("--stop option requires --pid-file to be set as well");
        }
        if (mode == Mode.STATUS && pidFile == null) {
            throw new UsageError("--status option requires --pid-file to be set as well");
        }
        if (json && mode != Mode.STATUS) {
            throw new UsageError("--json goes with --status");
        }
        if (mode == Mode.START) {
            if (daemonize && logFile == null) {
                throw new UsageError("--daemonize requires --log-file");
            }
            if (command.isEmpty()) {
                throw new UsageError("server program not specified");
            }
        }
        boolean autoRestart = enableAutoRestart || ChildEnvironment.isTrue(env.get("ENABLE_AUTO_RESTART"));
        Duration autoInterval = autoRestart ? autoRestartInterval(env) : null;
        Duration delay = killOldDelay(env, autoRestart);
        String envDir = envdir != null ? envdir : env.get("ENVDIR");
        if (mode == Mode.START && envDir != null) {
            Path p = Path.of(envDir);
            if (!Files.isDirectory(p)) {
                throw new UsageError("envdir " + envDir + " is not a directory", ExitCodes.FAILURE);
            }
            if (!Files.isReadable(p) || !Files.isExecutable(p)) {
                throw new UsageError("envdir " + envDir + " is not readable", ExitCodes.FAILURE);
            }
        }
        if (mode == Mode.START && dir != null && !Files.isDirectory(Path.of(dir))) {
            throw new UsageError("failed to chdir:" + dir + ": no such directory", ExitCodes.FAILURE);
        }
        // Given, --interval holds for a generation that reports readiness too; not given, that one has no floor.
        SupervisorSettings supervision = new SupervisorSettings(
                interval != null ? interval : Seconds.parse("--interval", Defaults.INTERVAL_SECONDS, true),
                interval != null ? interval : Seconds.parse("--interval", Defaults.READY_INTERVAL_SECONDS, true),
                signalOnHup, signalOnTerm, delay, autoInterval, readinessTimeout, killAfter);
        return new Settings(sockets, dir, List.copyOf(command), supervision,
                pidFile, statusFile, envDir, logFile, daemonize, backlog, restartTimeout, readiness, agent(),
                drainTimeout, drainGrace, classCacheOn(env),
                cacheDir != null ? cacheDir.toAbsolutePath().toString() : Defaults.cacheDir(env));
    }

    /** The option variables the original exports to the children when given as options. */
    public Map<String, String> optionVariables(Settings settings) {
        Map<String, String> vars = new java.util.LinkedHashMap<>();
        if (envdir != null) {
            vars.put("ENVDIR", envdir);
        }
        if (enableAutoRestart) {
            vars.put("ENABLE_AUTO_RESTART", "1");
        }
        if (killOldDelay != null) {
            vars.put("KILL_OLD_DELAY", Seconds.text(killOldDelay));
        }
        if (autoRestartInterval != null) {
            vars.put("AUTO_RESTART_INTERVAL", Seconds.text(autoRestartInterval));
        }
        return vars;
    }

    /** The option, else its variable as the original reads it (a false value means the default). */
    private Duration autoRestartInterval(Map<String, String> env) throws UsageError {
        String variable = env.get("AUTO_RESTART_INTERVAL");
        return autoRestartInterval != null ? autoRestartInterval
                : ChildEnvironment.isTrue(variable) ? Seconds.parse("AUTO_RESTART_INTERVAL", variable, false)
                : Seconds.parse("--auto-restart-interval", Defaults.AUTO_RESTART_INTERVAL_SECONDS, false);
    }

    /** The option, else its variable unless empty, else the default, which auto-restart raises. */
    private Duration killOldDelay(Map<String, String> env, boolean autoRestart) throws UsageError {
        String variable = env.get("KILL_OLD_DELAY");
        return killOldDelay != null ? killOldDelay
                : variable != null && !variable.isEmpty() ? Seconds.parse("KILL_OLD_DELAY", variable, true)
                : Seconds.parse("--kill-old-delay",
                        autoRestart ? Defaults.KILL_OLD_DELAY_AUTO_RESTART_SECONDS : Defaults.KILL_OLD_DELAY_SECONDS, true);
    }

    private boolean classCacheOn(Map<String, String> env) throws UsageError {
        if (classCache != null) {
            return classCache == ClassCacheMode.AUTO;
        }
        try {
            return ClassCacheMode.parse(env.get(Defaults.CLASS_CACHE_ENV)) == ClassCacheMode.AUTO;
        } catch (BadValue e) {
            throw e.usageError(Defaults.CLASS_CACHE_ENV);
        }
    }

    private String agent() throws UsageError {
        if (javaAgent.equals("auto") || javaAgent.equals("off")) {
            return javaAgent;
        }
        Path jar = Path.of(javaAgent);
        if (!Files.isRegularFile(jar) || !Files.isReadable(jar)) {
            throw new UsageError("--java-agent: no readable jar at " + javaAgent, ExitCodes.FAILURE);
        }
        return jar.toAbsolutePath().toString();
    }
}
