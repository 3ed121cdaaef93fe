package io.github.hotdeploy.launcher.classcache;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a {@code java} command line says about its class path, read the way the java launcher
 * reads it: JVM options up to the main class or {@code -jar JAR}. A command whose classes cannot
 * be named from here (a modular or source-file launch, an @argfile, options hidden in a file), or
 * that manages class data sharing itself, gets a refusal instead: it runs exactly as given.
 *
 * @param classPath the entries as written (relative ones are relative to the child's directory)
 * @param jar the {@code -jar} argument, whose manifest Class-Path adds entries, or null
 * @param refusal why no cache applies, or null
 * @param options how many arguments are JVM options: the main class or {@code -jar} comes next
 */
public record JavaCommand(List<String> classPath, String jar, String refusal, int options) {

    /** java launcher options whose value is the next argument. */
    private static final Set<String> WITH_VALUE = Set.of("-cp", "-classpath", "--class-path", "-p", "--module-path",
            "--upgrade-module-path", "--add-modules", "--limit-modules", "--add-reads", "--add-exports",
            "--add-opens", "--patch-module", "--enable-native-access", "--source");
    /** Options by which a command takes class data sharing into its own hands. */
    static final List<String> SHARING_OPTIONS = List.of("-Xshare", "-XX:SharedArchiveFile", "-XX:ArchiveClassesAtExit",
            "-XX:+AutoCreateSharedArchive", "-XX:AOT", "-XX:SharedClassListFile", "-XX:DumpLoadedClassList",
            "-XX:+RecordDynamicDumpInfo", "-XX:-UseSharedSpaces", "-XX:+UseSharedSpaces");
    static final List<String> OPTION_VARIABLES = List.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS");

    static JavaCommand refused(String reason) {
        return new JavaCommand(List.of(), null, reason, 0);
    }

    /**
     * @param arguments the arguments after {@code java}
     * @param environment the child's environment (CLASSPATH, and the JVM's option variables)
     */
    public static JavaCommand parse(List<String> arguments, Map<String, String> environment) {
        for (String variable : OPTION_VARIABLES) {
            String value = environment.get(variable);
            if (value == null) {
                continue;
            }
            for (String word : value.trim().split("\\s+")) {
                String problem = problem(word);
                if (problem == null && (word.equals("-cp") || word.contains("class-path") || word.contains("classpath")
                        || word.contains("java.class.path"))) {
                    problem = "sets the class path";
                }
                if (problem != null) {
                    return refused(variable + " " + problem);
                }
            }
        }
        String classPath = null;
        int options = arguments.size();
        for (int i = 0; i < arguments.size(); i++) {
            String arg = arguments.get(i);
            String problem = problem(arg);
            if (problem != null) {
                return refused("the command " + problem);
            }
            if (arg.equals("-jar")) {
                if (i + 1 >= arguments.size()) {
                    return refused("the command has -jar without a jar");
                }
                String jar = arguments.get(i + 1);
                return new JavaCommand(List.of(jar), jar, null, i);
            }
            if (arg.startsWith("--class-path=")) {
                classPath = arg.substring("--class-path=".length());
            } else if (WITH_VALUE.contains(arg)) {
                if (i + 1 < arguments.size() && (arg.equals("-cp") || arg.equals("-classpath") || arg.equals("--class-path"))) {
                    classPath = arguments.get(i + 1);
                }
                i++;
            } else if (!arg.startsWith("-")) {
                if (arg.endsWith(".java")) {
                    return refused("launches a source file");
                }
                options = i;
                break; // the main class: what follows is the application's
            }
        }
        if (classPath == null) {
            classPath = environment.getOrDefault("CLASSPATH", ".");
        }
        List<String> entries = new ArrayList<>();
        for (String entry : classPath.split(":", -1)) {
            entries.add(entry.isEmpty() ? "." : entry);
        }
        return new JavaCommand(entries, null, null, options);
    }

    /**
     * The JVM options of {@code arguments} (as parsed here) a JVM that only dumps an archive of
     * this class path should get too: all but the agents (a dumping JVM refuses them) and the class
     * path (the dump is given it whole).
     */
    List<String> optionsForDump(List<String> arguments) {
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < options && i < arguments.size(); i++) {
            String arg = arguments.get(i);
            if (arg.startsWith("-javaagent:") || arg.startsWith("-agentlib:") || arg.startsWith("-agentpath:")
                    || arg.startsWith("--class-path=")) {
                continue;
            }
            if (arg.equals("-cp") || arg.equals("-classpath") || arg.equals("--class-path")) {
                i++;
                continue;
            }
            kept.add(arg);
            if (WITH_VALUE.contains(arg) && i + 1 < arguments.size()) {
                kept.add(arguments.get(++i));
            }
        }
        return kept;
    }

    /** Why this JVM option rules the cache out, or null. */
    private static String problem(String arg) {
        if (arg.startsWith("@")) {
            return "reads options from an @argfile";
        }
        if (arg.startsWith("-XX:Flags=") || arg.startsWith("-XX:VMOptionsFile=")) {
            return "reads options from a file";
        }
        if (arg.equals("-m") || arg.equals("--module") || arg.startsWith("--module=")) {
            return "is a modular launch";
        }
        if (arg.equals("--source") || arg.startsWith("--source=")) {
            return "launches a source file";
        }
        for (String sharing : SHARING_OPTIONS) {
            if (arg.startsWith(sharing)) {
                return "manages class data sharing itself (" + arg + ")";
            }
        }
        return null;
    }
}
