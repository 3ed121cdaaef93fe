package io.github.hotdeploy.launcher.spawning;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment of each generation, computed as the original computes it: start_server's own
 * environment, the option variables, the envdir as read at start, then for every spawn after the
 * main loop first woke up the envdir read again (so a removed file reverts to its value at
 * start) and AUTO_RESTART_INTERVAL defaulted to 360 when auto-restart is on; last
 * SERVER_STARTER_PORT and SERVER_STARTER_GENERATION.
 */
public final class ChildEnvironment {
    private final Map<String, String> base;
    private final String serverStarterPort;
    private final Map<String, String> extra;

    /**
     * @param base start_server's environment with the option variables and the envdir read at start
     * @param extra variables of ours added last (readiness, agent injection); may be empty
     */
    public ChildEnvironment(Map<String, String> base, String serverStarterPort, Map<String, String> extra) {
        this.base = Map.copyOf(base);
        this.serverStarterPort = serverStarterPort;
        this.extra = Map.copyOf(extra);
    }

    public Map<String, String> forGeneration(int generation, boolean afterFirstWakeup) {
        Map<String, String> env = new LinkedHashMap<>(base);
        if (afterFirstWakeup) {
            env.putAll(EnvDir.load(env.get("ENVDIR")));
            if (isTrue(env.get("ENABLE_AUTO_RESTART")) && !isTrue(env.get("AUTO_RESTART_INTERVAL"))) {
                env.put("AUTO_RESTART_INTERVAL", "360");
            }
        }
        env.putAll(extra);
        env.put("SERVER_STARTER_PORT", serverStarterPort);
        env.put("SERVER_STARTER_GENERATION", Integer.toString(generation));
        return env;
    }

    /** Perl's truth: everything but undef, "" and "0". */
    public static boolean isTrue(String value) {
        return value != null && !value.isEmpty() && !value.equals("0");
    }
}
