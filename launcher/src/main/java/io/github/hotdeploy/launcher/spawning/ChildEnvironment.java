package io.github.hotdeploy.launcher.spawning;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment of each generation, as byte strings ({@link EnvBytes}): start_server's own
 * environment with the option variables, then the envdir (as read at start for the first
 * spawn, read again for every spawn after the main loop first woke up, as the original does),
 * AUTO_RESTART_INTERVAL defaulted to 360 after that wake-up when auto-restart is on, and last
 * SERVER_STARTER_PORT and SERVER_STARTER_GENERATION.
 *
 * <p>[ours] A file removed from the envdir takes its variable back to what start_server itself
 * had (absent if it had none), for files present at start too: the envdir is laid over
 * start_server's environment afresh each time, never over the envdir of an earlier read. The
 * original keeps the values loaded at start, though its Changes (0.16) say removal should unset.
 */
public final class ChildEnvironment {
    private final Map<String, String> base;
    private final String envDir;
    private final EnvDir.Snapshot atStart;
    private final String serverStarterPort;

    /**
     * @param base start_server's environment with the option variables, without the envdir
     * @param envDir the envdir's path, or null
     * @param atStart the envdir as read at start
     * @param serverStarterPort SERVER_STARTER_PORT's value, as text
     */
    public ChildEnvironment(Map<String, String> base, String envDir, EnvDir.Snapshot atStart, String serverStarterPort) {
        this.base = Map.copyOf(base);
        this.envDir = envDir;
        this.atStart = atStart;
        this.serverStarterPort = EnvBytes.fromText(serverStarterPort);
    }

    /**
     * @throws Unusable when an envdir file cannot be passed on (the spawn must not happen with it
     *     silently left out)
     */
    public Map<String, String> forGeneration(int generation, boolean afterFirstWakeup) throws Unusable {
        EnvDir.Snapshot envdir = afterFirstWakeup ? EnvDir.read(envDir) : atStart;
        if (!envdir.problems().isEmpty()) {
            throw new Unusable(envdir.problems());
        }
        Map<String, String> env = new LinkedHashMap<>(base);
        env.putAll(envdir.variables());
        if (afterFirstWakeup && isTrue(env.get("ENABLE_AUTO_RESTART")) && !isTrue(env.get("AUTO_RESTART_INTERVAL"))) {
            env.put("AUTO_RESTART_INTERVAL", "360");
        }
        env.put("SERVER_STARTER_PORT", serverStarterPort);
        env.put("SERVER_STARTER_GENERATION", Integer.toString(generation));
        return env;
    }

    /** Perl's truth: everything but undef, "" and "0". */
    public static boolean isTrue(String value) {
        return value != null && !value.isEmpty() && !value.equals("0");
    }

    /** Envdir files that cannot be given to a child; the message names them. */
    public static final class Unusable extends Exception {
        public Unusable(List<String> problems) {
            super(String.join("; ", problems));
        }
    }
}
