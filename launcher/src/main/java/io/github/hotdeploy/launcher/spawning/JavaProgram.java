package io.github.hotdeploy.launcher.spawning;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The {@code java} executable a command runs in start_server's child itself: the program, the
 * program behind {@link ExecWrappers}, or the command a {@code sh -c} string execs
 * ({@code sh -c 'exec java ...'}, read by {@link ShellCommand}). That JVM gets the agent as its
 * first argument and a class cache; any other JVM gets the agent through JAVA_TOOL_OPTIONS and no
 * cache.
 */
public final class JavaProgram {
    /** Shells whose {@code -c} string is read: POSIX sh and the shells installed as it. */
    private static final Set<String> SHELLS = Set.of("sh", "dash", "bash");

    private final List<String> command;
    private final UnaryOperator<List<String>> inPlace;
    private final Path java;
    private final Map<String, String> environment;
    private final String directory;

    private JavaProgram(List<String> command, UnaryOperator<List<String>> inPlace, Path java,
                        Map<String, String> environment, String directory) {
        this.command = List.copyOf(command);
        this.inPlace = inPlace;
        this.java = java;
        this.environment = environment;
        this.directory = directory;
    }

    /** {@code java} and its arguments, as the JVM gets them. */
    public List<String> command() {
        return command;
    }

    /** The whole command with {@code javaCommand} (java first, options added) in place of {@link #command()}. */
    public List<String> argv(List<String> javaCommand) {
        return inPlace.apply(javaCommand);
    }

    /** The executable, found as the wrapper's execvp (or the shell) will find it. */
    public Path java() {
        return java;
    }

    /** The environment the JVM gets. */
    public Map<String, String> environment() {
        return environment;
    }

    /** The JVM's working directory (null: start_server's). */
    public String directory() {
        return directory;
    }

    /** The command's JVM, or null when start_server cannot tell that one is started in its child. */
    public static JavaProgram find(Path program, List<String> argv, Map<String, String> environment, String directory) {
        if (isJava(program)) {
            return new JavaProgram(argv, javaCommand -> javaCommand, program, environment, directory);
        }
        return within(argv, environment, directory, true);
    }

    private static JavaProgram within(List<String> words, Map<String, String> environment, String directory,
                                      boolean shellAllowed) {
        ExecWrappers.Wrapped wrapped = ExecWrappers.peel(words, environment, directory);
        if (wrapped == null) {
            return null;
        }
        int at = wrapped.index();
        List<String> before = List.copyOf(words.subList(0, at));
        String word = words.get(at);
        if (shellAllowed && SHELLS.contains(ExecWrappers.programName(word)) && words.size() > at + 2
                && words.get(at + 1).equals("-c")) {
            // sh [wrapped] -c STRING [$0 ARG...]: STRING is "exec" then a command, itself wrapped or not
            List<String> inner = ShellCommand.words(words.get(at + 2), wrapped.environment(),
                    words.subList(at + 3, words.size()));
            if (inner == null || inner.size() < 2 || !inner.get(0).equals("exec")) {
                return null;
            }
            JavaProgram found = within(inner.subList(1, inner.size()), wrapped.environment(), wrapped.directory(), false);
            if (found == null) {
                return null;
            }
            List<String> shell = List.copyOf(words.subList(0, at + 2));
            List<String> after = List.copyOf(words.subList(at + 3, words.size()));
            return new JavaProgram(found.command, javaCommand -> {
                List<String> execd = new ArrayList<>(List.of("exec"));
                execd.addAll(found.argv(javaCommand));
                List<String> argv = new ArrayList<>(shell);
                argv.add(ShellCommand.render(execd));
                argv.addAll(after);
                return argv;
            }, found.java, found.environment, found.directory);
        }
        if (at == 0 && shellAllowed) {
            return null; // the program itself, not java, no wrapper, no shell string read
        }
        String path = wrapped.environment().get("PATH");
        String pathText = path == null ? null : EnvBytes.toText(path);
        if (path != null && pathText == null) {
            return null; // a PATH that is not text: where execvp looks is not for Java's paths to say
        }
        ProgramResolver.Resolution found = ProgramResolver.resolve(word, wrapped.directory(), pathText);
        if (!isJava(found.path())) {
            return null;
        }
        return new JavaProgram(words.subList(at, words.size()), javaCommand -> {
            List<String> argv = new ArrayList<>(before);
            argv.addAll(javaCommand);
            return argv;
        }, found.path(), wrapped.environment(), wrapped.directory());
    }

    static boolean isJava(Path program) {
        return program != null && program.getFileName() != null && program.getFileName().toString().equals("java");
    }
}
