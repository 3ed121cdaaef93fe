package io.github.hotdeploy.launcher.spawning;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The command behind the wrappers that exec it in their own process as the same user: {@code env},
 * {@code nice}, {@code ionice}, {@code taskset}, in any nesting. Seen through, a {@code java} there
 * is treated as if it were the program: the agent on its command line, its class cache
 * ({@link JavaProgram}). Each wrapper is read by its own grammar (coreutils 9, util-linux 2.38); an
 * option not known here ends the reading and the command runs as given, its JVM reached through
 * JAVA_TOOL_OPTIONS as any other. Not seen through here: a shell (a {@code sh -c} string is
 * {@link JavaProgram}'s to read); on purpose, user switches (gosu, runuser, chpst: the JVM could
 * not read start_server's cache directory) and wrappers that fork (tini, dumb-init, setsid as a
 * group leader).
 */
public final class ExecWrappers {

    /**
     * @param index where in the command the program behind the wrappers is (0: no wrapper)
     * @param environment the environment that program gets
     * @param directory its working directory (null: start_server's)
     */
    public record Wrapped(int index, Map<String, String> environment, String directory) {
    }

    private ExecWrappers() {
    }

    /** The program behind the command's leading wrappers, or null when a wrapper's arguments are not all understood. */
    public static Wrapped peel(List<String> argv, Map<String, String> environment, String directory) {
        int i = 0;
        Map<String, String> env = environment;
        String dir = directory;
        while (i < argv.size()) {
            int next;
            switch (programName(argv.get(i))) {
                case "env" -> {
                    EnvEdit edit = env(argv, i + 1);
                    if (edit == null) {
                        return null;
                    }
                    env = edit.apply(env);
                    if (edit.chdir != null) {
                        dir = dir == null || edit.chdir.startsWith("/") ? edit.chdir : Path.of(dir).resolve(edit.chdir).toString();
                    }
                    next = edit.command;
                }
                case "nice" -> next = nice(argv, i + 1);
                case "ionice" -> next = ionice(argv, i + 1);
                case "taskset" -> next = taskset(argv, i + 1);
                default -> {
                    return new Wrapped(i, env, dir);
                }
            }
            if (next < 0 || next >= argv.size()) {
                return null; // an option not known here, or no command: the wrapper does something else
            }
            i = next;
        }
        return null;
    }

    /** A command word's program as execvp runs it, whether given as a path or a name: {@code /usr/bin/env} is env. */
    static String programName(String word) {
        return word.substring(word.lastIndexOf('/') + 1);
    }

    /** What {@code env} does to the environment, and where its command starts. */
    private static final class EnvEdit {
        boolean clear;
        final Set<String> unset = new LinkedHashSet<>();
        final Map<String, String> assignments = new java.util.LinkedHashMap<>();
        String chdir;
        int command;

        Map<String, String> apply(Map<String, String> environment) {
            Map<String, String> result = clear ? new HashMap<>() : new HashMap<>(environment);
            unset.forEach(name -> result.remove(EnvBytes.fromText(name)));
            result.putAll(assignments);
            return Map.copyOf(result);
        }
    }

    /** GNU env: {@code [-i|-] [-u NAME]... [-C DIR] [--] [NAME=VALUE]... COMMAND [ARG]...}. */
    private static EnvEdit env(List<String> argv, int i) {
        EnvEdit edit = new EnvEdit();
        for (; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (arg.equals("--")) {
                i++;
                break;
            }
            if (arg.equals("-")) {
                edit.clear = true; // and the options end, as getopt stops at it
                i++;
                break;
            }
            if (arg.equals("--ignore-environment")) {
                edit.clear = true;
            } else if (arg.startsWith("--unset=")) {
                edit.unset.add(arg.substring("--unset=".length()));
            } else if (arg.startsWith("--chdir=")) {
                edit.chdir = arg.substring("--chdir=".length());
            } else if (arg.equals("--unset") || arg.equals("--chdir")) {
                if (++i >= argv.size()) {
                    return null;
                }
                if (arg.equals("--unset")) {
                    edit.unset.add(argv.get(i));
                } else {
                    edit.chdir = argv.get(i);
                }
            } else if (arg.startsWith("--")) {
                return null; // -S, -v, signal options, abbreviations: not read here
            } else if (arg.startsWith("-")) {
                for (int c = 1; c < arg.length(); c++) {
                    char flag = arg.charAt(c);
                    if (flag == 'i') {
                        edit.clear = true;
                        continue;
                    }
                    if (flag != 'u' && flag != 'C') {
                        return null;
                    }
                    String value;
                    if (c + 1 < arg.length()) {
                        value = arg.substring(c + 1);
                    } else if (++i < argv.size()) {
                        value = argv.get(i);
                    } else {
                        return null;
                    }
                    if (flag == 'u') {
                        edit.unset.add(value);
                    } else {
                        edit.chdir = value;
                    }
                    break;
                }
            } else {
                break;
            }
        }
        for (; i < argv.size() && argv.get(i).indexOf('=') >= 0; i++) {
            String assignment = argv.get(i);
            int eq = assignment.indexOf('=');
            if (eq == 0) {
                return null; // env refuses it
            }
            // the environment holds bytes (EnvBytes), as the kernel gives env's arguments to the JVM
            edit.assignments.put(EnvBytes.fromText(assignment.substring(0, eq)), EnvBytes.fromText(assignment.substring(eq + 1)));
        }
        edit.command = i;
        return edit;
    }

    /** coreutils nice: {@code [-n N | -nN | --adjustment=N | -N] [--] COMMAND}. */
    private static int nice(List<String> argv, int i) {
        return afterOptions(argv, i, Set.of("-n", "--adjustment"),
                arg -> arg.startsWith("-n") || arg.startsWith("--adjustment=") || arg.matches("-[0-9]+"));
    }

    /** util-linux ionice: {@code [-c CLASS] [-n LEVEL] [-t] [--] COMMAND}; -p, -P, -u act on others. */
    private static int ionice(List<String> argv, int i) {
        return afterOptions(argv, i, Set.of("-c", "-n", "--class", "--classdata"),
                arg -> arg.equals("-t") || arg.equals("--ignore") || arg.startsWith("--class=")
                        || arg.startsWith("--classdata=") || arg.matches("-[cn].+"));
    }

    /** util-linux taskset: {@code [-a] [-c] [--] MASK COMMAND}; -p acts on another process. */
    private static int taskset(List<String> argv, int i) {
        int mask = afterOptions(argv, i, Set.of(),
                arg -> arg.equals("--cpu-list") || arg.equals("--all-tasks") || arg.matches("-[ac]+"));
        return mask < 0 ? -1 : mask + 1;
    }

    /**
     * Where the first argument after a wrapper's options is, or -1 at an option not known here.
     *
     * @param withValue the options whose value is the next argument
     * @param alone the other options it knows, value attached or none
     */
    private static int afterOptions(List<String> argv, int i, Set<String> withValue, Predicate<String> alone) {
        for (; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (arg.equals("--")) {
                return i + 1;
            }
            if (withValue.contains(arg)) {
                i++;
            } else if (!alone.test(arg)) {
                return arg.startsWith("-") ? -1 : i;
            }
        }
        return -1;
    }
}
