package io.github.hotdeploy.launcher.classcache;

import java.nio.file.Path;
import java.util.List;

/**
 * What one generation does with the class cache: the decision, apart from the files.
 *
 * <p>JDK 25+: the AOT cache; the generation that records writes it when it exits
 * ({@code -XX:AOTCacheOutput}: the JVM assembles it in a child JVM it waits for), later ones map
 * it ({@code -XX:AOTCache}). JDK 13-24: the same with a dynamic archive
 * ({@code -XX:ArchiveClassesAtExit}, {@code -XX:SharedArchiveFile}), except with the agent: those
 * JVMs refuse to dump while a Java agent is loaded ("CDS dumping does not support native JVMTI
 * agent", or with -javaagent a diagnostic flag the JVM itself calls testing-only).
 *
 * <p>The recording is written under a name of its own and becomes the cache only once its
 * generation has exited normally ({@link ClassCache}): a JVM killed while it writes leaves a
 * truncated file, which JDK 17 maps and dies of (SIGBUS, checked here).
 */
public final class CachePlan {

    public enum Kind { USE, RECORD, NONE }

    /**
     * @param options JVM options to add, before the main class
     * @param reason for NONE, why (null: nothing worth a line, e.g. an earlier recording gave nothing)
     */
    public record Decision(Kind kind, List<String> options, String reason) {
        static Decision none(String reason) {
            return new Decision(Kind.NONE, List.of(), reason);
        }
    }

    private CachePlan() {
    }

    /**
     * @param sealed the cache of this key, if one is ready to use, else null
     * @param recording where a recording would go
     * @param recordingUnderWay a generation of this key is recording now
     * @param failedBefore a recording of this key ended without a cache
     */
    public static Decision decide(int feature, boolean agentInjected, Path sealed, Path recording,
                                  boolean recordingUnderWay, boolean failedBefore) {
        if (feature < Jdk.DYNAMIC_ARCHIVE) {
            return Decision.none(feature == 0 ? "the runtime's version is unknown (no readable release file)"
                    : "JDK " + feature + " has no dynamic class archive (JDK " + Jdk.DYNAMIC_ARCHIVE + "+)");
        }
        boolean aot = feature >= Jdk.AOT_CACHE;
        if (!aot && agentInjected) {
            return Decision.none("JDK " + feature + " cannot record a class archive while a Java agent is loaded "
                    + "(JDK " + Jdk.AOT_CACHE + "+ can); the generations boot cold");
        }
        if (sealed != null) {
            return new Decision(Kind.USE, List.of((aot ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + sealed), null);
        }
        if (recordingUnderWay) {
            return Decision.none("an earlier generation is still recording; this one boots cold");
        }
        if (failedBefore) {
            return Decision.none(null);
        }
        // JDK 25 warns of every class it leaves out (about a hundred lines with the agent, whose
        // hooked JDK classes are among them) into the application's log: errors only.
        return new Decision(Kind.RECORD, aot ? List.of("-XX:AOTCacheOutput=" + recording, "-Xlog:aot=error")
                : List.of("-XX:ArchiveClassesAtExit=" + recording), null);
    }

    /** The file name suffix of a cache for this JDK. */
    static String suffix(int feature) {
        return feature >= Jdk.AOT_CACHE ? ".aot" : ".jsa";
    }
}
