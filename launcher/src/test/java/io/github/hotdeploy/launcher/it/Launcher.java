package io.github.hotdeploy.launcher.it;

import io.github.hotdeploy.testsupport.ManagedProcess;
import io.github.hotdeploy.testsupport.Processes;
import io.github.hotdeploy.testsupport.StartServerRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts start_server for a test and guarantees it and everything it spawned are gone after it.
 *
 * <p>Register it per test class with {@code @RegisterExtension final Launcher launcher = new Launcher();}.
 * Every run gets a clean environment: the variables start_server or the fixture react to are
 * removed from what the test JVM has, so a developer's shell cannot change a result.
 */
final class Launcher implements AfterEachCallback {
    /** Variables that change what start_server or the fixture do: never inherited from the test JVM. */
    private static final List<String> SCRUBBED_PREFIXES = List.of("SERVER_STARTER_", "FIXTURE_");
    private static final List<String> SCRUBBED = List.of("ENVDIR", "ENABLE_AUTO_RESTART", "KILL_OLD_DELAY",
            "AUTO_RESTART_INTERVAL", "NOTIFY_SOCKET");

    private final Impl impl;
    private final List<StartServerRun> runs = new CopyOnWriteArrayList<>();
    private final List<ProcessHandle> adopted = new CopyOnWriteArrayList<>();

    Launcher() {
        this(Impl.selected());
    }

    Launcher(Impl impl) {
        this.impl = impl;
    }

    Impl impl() {
        return impl;
    }

    /** A start_server command line to complete and start. */
    Spec spec() {
        return new Spec();
    }

    /** start_server with these arguments, default environment and working directory. */
    StartServerRun start(String... args) {
        return spec().args(args).start();
    }

    StartServerRun start(List<String> args) {
        return spec().args(args).start();
    }

    /** Runs start_server to completion (for errors, --help, client modes) and returns the run. */
    StartServerRun run(String... args) {
        StartServerRun run = start(args);
        run.awaitExit();
        return run;
    }

    /**
     * Puts a process that is not our child (a daemonized start_server) under this extension's
     * teardown. Its descendants are found from it at teardown.
     */
    void adopt(long pid) {
        ProcessHandle.of(pid).ifPresent(adopted::add);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        // Everything that is left is killed hard: a test that wanted a graceful stop has asked
        // for it (and checked it) already.
        adopted.forEach(Processes::killTree);
        runs.forEach(run -> run.process().kill());
        runs.clear();
        adopted.clear();
    }

    final class Spec {
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private final List<String> removed = new ArrayList<>();
        private Path dir;
        private List<String> signalWrapper = List.of();
        private List<String> shellWrapper = List.of();

        Spec args(String... more) {
            args.addAll(List.of(more));
            return this;
        }

        Spec args(List<String> more) {
            args.addAll(more);
            return this;
        }

        /** Sets a variable in start_server's own environment. */
        Spec env(String name, String value) {
            env.put(name, value);
            return this;
        }

        Spec env(Map<String, String> more) {
            env.putAll(more);
            return this;
        }

        Spec unsetEnv(String name) {
            removed.add(name);
            return this;
        }

        /**
         * Starts start_server with every signal at its default and unblocked, then the given
         * dispositions, e.g. {@code signals("--ignore", "USR2", "--block", "USR1")}: without
         * this it inherits what the test JVM's threads have (SIGQUIT blocked, among others).
         * start_server keeps the pid: the wrapper execs it.
         */
        Spec signals(String... ignoreAndBlock) {
            List<String> wrapper = new ArrayList<>();
            wrapper.add(Fixtures.python());
            wrapper.add(Fixtures.resource("exec_with_signals.py").toString());
            wrapper.addAll(List.of(ignoreAndBlock));
            wrapper.add("--");
            signalWrapper = wrapper;
            return this;
        }

        /**
         * Runs {@code commands} in bash right before start_server replaces it, e.g.
         * {@code "exec 200</dev/null; ulimit -n 128"}: what start_server inherits from its shell.
         */
        Spec shell(String commands) {
            shellWrapper = List.of("bash", "-c", commands + "; exec \"$@\"", "bash");
            return this;
        }

        /**
         * Runs start_server under another program, e.g. {@code systemd-socket-activate -l PORT}:
         * start_server's path and arguments follow {@code command}.
         */
        Spec under(String... command) {
            signalWrapper = List.of(command);
            return this;
        }

        /** start_server's own working directory (not --dir). */
        Spec dir(Path directory) {
            dir = directory;
            return this;
        }

        StartServerRun start() {
            List<String> command = new ArrayList<>(signalWrapper);
            command.addAll(shellWrapper);
            command.add(impl.executable().toString());
            command.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(command);
            Map<String, String> environment = builder.environment();
            environment.keySet().removeIf(k -> SCRUBBED.contains(k) || SCRUBBED_PREFIXES.stream().anyMatch(k::startsWith));
            environment.putAll(env);
            removed.forEach(environment::remove);
            if (dir != null) {
                builder.directory(dir.toFile());
            }
            // stdin: an empty pipe that stays open, like a service manager's /dev/null would be.
            builder.redirectInput(ProcessBuilder.Redirect.PIPE);
            try {
                StartServerRun run = new StartServerRun(ManagedProcess.startReadingLines(builder, "start_server"), List.copyOf(args));
                runs.add(run);
                return run;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot run " + command, e);
            }
        }
    }
}
