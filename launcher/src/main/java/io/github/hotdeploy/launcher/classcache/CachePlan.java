package io.github.hotdeploy.launcher.classcache;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What one generation does with the class cache: the decision, apart from the files.
 *
 * <p>Recording is split in two, so that it costs the generation nothing when it stops: the
 * generation only notes what it loads, and a JVM of its own, started by start_server after the
 * generation has exited (at low priority), makes the cache from that note. JDK 25+: the AOT cache;
 * the generation runs with {@code -XX:AOTMode=record -XX:AOTConfiguration} (a configuration file
 * the JVM writes as it exits, after the shutdown hooks: 2-18 s measured, see ClassCache's exit
 * watch, which lowers its priority and bounds it), the assembly with {@code -XX:AOTMode=create},
 * later generations map the cache with {@code -XX:AOTCache}. JDK 13-24: the generation runs with
 * {@code -XX:DumpLoadedClassList} (written as classes load), the assembly is a static dump
 * ({@code -Xshare:dump -XX:SharedClassListFile}) without the agent, later generations map it with
 * {@code -XX:SharedArchiveFile}, agent included: these JVMs refuse to dump a dynamic archive
 * while a Java agent is loaded ("CDS dumping does not support native JVMTI agent"), but they map
 * a static one with the agent's class file hook on; the classes the agent hooks are loaded from
 * their jar instead.
 *
 * <p>JDK 25's one-step {@code -XX:AOTCacheOutput} (and JDK 13-24's {@code -XX:ArchiveClassesAtExit})
 * make the generation itself write the cache as it exits: 15 to 40 s under load, during which the
 * old generation holds its memory and CPU, and {@code --restart} waits.
 *
 * <p>The assembly writes under a name of its own and its output becomes the cache only once it
 * has exited with status 0 ({@link ClassCache}): a JVM killed while it writes leaves a truncated
 * file, which JDK 17 maps and dies of (SIGBUS, checked here).
 */
public final class CachePlan {

    public enum Kind { USE, RECORD, NONE }

    /**
     * @param options JVM options to add, before the main class
     * @param assembly for RECORD, the command that makes the cache once the generation exited
     * @param reason for NONE, why (null: nothing worth a line, e.g. an earlier recording gave nothing)
     */
    public record Decision(Kind kind, List<String> options, List<String> assembly, String reason) {
        static Decision none(String reason) {
            return new Decision(Kind.NONE, List.of(), List.of(), reason);
        }
    }

    private CachePlan() {
    }

    /**
     * @param argv the generation's command (program first), without cache options
     * @param command what {@code argv} says about its class path
     * @param sealed the cache of this key, if one is ready to use, else null
     * @param part where the assembly writes the cache
     * @param underWay a generation of this key is recording now, or its cache is being assembled
     * @param failedBefore a recording of this key ended without a cache
     */
    public static Decision decide(int feature, List<String> argv, JavaCommand command, Path sealed, Path part,
                                  boolean underWay, boolean failedBefore) {
        if (feature < Jdk.DYNAMIC_ARCHIVE) {
            return Decision.none(feature == 0 ? "the runtime's version is unknown (no readable release file)"
                    : "JDK " + feature + " has no application class archive that start_server manages (JDK "
                    + Jdk.DYNAMIC_ARCHIVE + "+)");
        }
        boolean aot = feature >= Jdk.AOT_CACHE;
        if (sealed != null) {
            return new Decision(Kind.USE, List.of((aot ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + sealed),
                    List.of(), null);
        }
        if (underWay) {
            return Decision.none("an earlier generation's cache is still being recorded or assembled; this one boots cold");
        }
        if (failedBefore) {
            return Decision.none(null);
        }
        Path config = configuration(part);
        List<String> assembly = new ArrayList<>();
        assembly.add(argv.get(0));
        if (aot) {
            // The whole command, agent included: the cache must be made with the module graph the
            // generations run with (the agent adds java.instrument), and create mode runs no main.
            // JDK 25 warns of every class it leaves out (about a hundred lines with the agent, whose
            // hooked JDK classes are among them) into the application's log: errors only.
            // Its warnings also go to a file of their own, read for UNLINKED_SKIPPED (ClassCache).
            assembly.addAll(List.of("-XX:AOTMode=create", "-XX:AOTConfiguration=" + config, "-XX:AOTCache=" + part,
                    "-Xlog:aot=error", "-Xlog:aot=warning:file=" + assemblyLog(part) + ":none"));
            assembly.addAll(argv.subList(1, argv.size()));
            List<String> record = new ArrayList<>(List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + config,
                    "-Xlog:aot=error"));
            String exitLog = exitLog(part).toString();
            if (exitLog.chars().noneMatch(c -> c == ':' || c == ',' || c == '"' || Character.isWhitespace(c))) {
                // The JVM's own account of writing the configuration, in a file: its first lines
                // come after every shutdown hook ran, which tells start_server that the
                // application is down and only the recording remains (ClassCache's exit watch).
                // A path -Xlog cannot take as given goes without it, and without the watch.
                record.add("-Xlog:aot=info:file=" + exitLog + ":uptime:filecount=0");
            }
            return new Decision(Kind.RECORD, List.copyOf(record), List.copyOf(assembly), null);
        }
        assembly.addAll(command.optionsForDump(argv.subList(1, argv.size())));
        // The agent's own classes are in the list but not on the class path: one warning, hidden.
        assembly.addAll(List.of("-Xshare:dump", "-XX:SharedClassListFile=" + config, "-XX:SharedArchiveFile=" + part,
                "-Xlog:cds=error", "-cp", String.join(":", command.classPath())));
        return new Decision(Kind.RECORD, List.of("-XX:DumpLoadedClassList=" + config), List.copyOf(assembly), null);
    }

    /** The package of Spring Boot's launchers (JarLauncher, WarLauncher, PropertiesLauncher), 3.2+ and before. */
    static final String SPRING_BOOT_LOADER = "org.springframework.boot.loader.";

    /**
     * Why a {@code -jar} whose manifest names {@code mainClass} gets no cache on this JDK, or null.
     * A Spring Boot executable jar's launcher loads the application from the jars nested in it, with
     * a loader of its own. JDK 13-24's static archive holds only the JDK's classes and the
     * launcher's, which saved nothing under the agent on JDK 17 (1.04x and 1.09x of a cold boot,
     * docs/benchmarks/classcache.md) and would still cost each key a recording and an assembly;
     * JDK 25's AOT cache made the same jar boot in 0.69x.
     */
    static String nestedJarRefusal(int feature, String mainClass) {
        if (feature < Jdk.DYNAMIC_ARCHIVE || feature >= Jdk.AOT_CACHE || mainClass == null
                || !mainClass.startsWith(SPRING_BOOT_LOADER)) {
            return null;
        }
        return "a Spring Boot executable jar (Main-Class " + mainClass + ") loads its classes from nested jars, which"
                + " JDK " + feature + "'s class archive cannot hold: no faster boot. For a cache, extract it"
                + " (java -Djarmode=tools -jar app.jar extract, then java -jar of the extracted jar) or run it on JDK "
                + Jdk.AOT_CACHE + "+";
    }

    /**
     * What JDK 25's assembly says when it leaves a class out because it was not linked: seen for
     * sun.nio.ch.IOUtil after Tomcat's NIO2 connector ran under load and drained, and JDK 25.0.3
     * crashes at start-up on such a cache (SIGSEGV in AOTLinkedClassBulkLoader). Made again with
     * {@link #WITHOUT_LINKING}, the cache works.
     */
    static final String UNLINKED_SKIPPED = "Unlinked class not supported by AOTClassLinking";
    /** AOT caches without AOT-linked classes: loaded from the cache, linked at run time. */
    static final String WITHOUT_LINKING = "-XX:-AOTClassLinking";

    /** The assembly's warnings. */
    static Path assemblyLog(Path part) {
        return Path.of(part + ".log");
    }

    /** Where the recording generation writes what it loaded, for the assembly. */
    static Path configuration(Path part) {
        return Path.of(part + ".config");
    }

    /** Where a JDK 25+ recording generation logs writing its configuration as it exits. */
    static Path exitLog(Path part) {
        return Path.of(part + ".record.log");
    }

    /** The file name suffix of a cache for this JDK. */
    static String suffix(int feature) {
        return feature >= Jdk.AOT_CACHE ? ".aot" : ".jsa";
    }
}
