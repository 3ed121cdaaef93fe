package io.github.hotdeploy.launcher.cli;

import io.github.hotdeploy.protocol.AgentArguments;

/**
 * Every default of the command line, named once: the options' parsing and their {@code --help}
 * texts both read these. Seconds are kept as the text a user would type, so that a default goes
 * through the same parser as a value given on the command line.
 */
public final class Defaults {
    /** {@code --interval}: the original's. */
    public static final String INTERVAL_SECONDS = "1";
    /**
     * [ours] {@code --interval} for a generation that reports readiness, when the option is not
     * given: none, it counts as started once it says READY=1.
     */
    public static final String READY_INTERVAL_SECONDS = "0";
    /** {@code --signal-on-hup} and {@code --signal-on-term}: the original's. */
    public static final String SIGNAL = "TERM";
    /** {@code --auto-restart-interval}: the original's. */
    public static final String AUTO_RESTART_INTERVAL_SECONDS = "360";
    /** {@code --kill-old-delay} without auto-restart: the original's. */
    public static final String KILL_OLD_DELAY_SECONDS = "0";
    /** {@code --kill-old-delay} with auto-restart on: the original's. */
    public static final String KILL_OLD_DELAY_AUTO_RESTART_SECONDS = "5";
    /** {@code --backlog}: glibc's SOMAXCONN, which the original passes; the kernel caps it. */
    public static final int BACKLOG = 4096;
    /** [ours] {@code --wait-ready-timeout}. */
    public static final String WAIT_READY_TIMEOUT_SECONDS = "60";
    /** [ours] {@code --client-timeout}. */
    public static final String CLIENT_TIMEOUT_SECONDS = "120";
    /** [ours] {@code --wait-ready}: READY=1 awaited from the Java children that got the agent. */
    public static final String WAIT_READY = "auto";
    /** [ours] {@code --java-agent}: injected into Java children. */
    public static final String JAVA_AGENT = "auto";
    /** [ours] {@code --drain-timeout}: the agent's own default (the protocol module's AgentArguments). */
    public static final String DRAIN_TIMEOUT_SECONDS = "" + AgentArguments.DEFAULT_DRAIN_TIMEOUT_MS / 1000;
    /** [ours] {@code --drain-grace}: the agent's own default (the protocol module's AgentArguments). */
    public static final String DRAIN_GRACE_SECONDS = "" + AgentArguments.DEFAULT_DRAIN_GRACE_MS / 1000;

    /** [ours] {@code --class-cache}: on for Java children. */
    public static final String CLASS_CACHE = "auto";
    /** [ours] The variable that stands in for {@code --class-cache} (the build's tests set it to off). */
    public static final String CLASS_CACHE_ENV = "START_SERVER_CLASS_CACHE";
    /** [ours] {@code --cache-dir}, under the user's cache directory (XDG base directories). */
    public static final String CACHE_DIR = "$XDG_CACHE_HOME/start_server, else ~/.cache/start_server";
    /** [ours] the most the cache directory keeps; the least recently used caches go first. */
    public static final long CACHE_MAX_MIB = 1024;

    /** {@link #CACHE_DIR} for this environment, or null when it names none (no HOME). */
    public static String cacheDir(java.util.Map<String, String> env) {
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && xdg.startsWith("/")) {
            return xdg + "/start_server";
        }
        String home = env.get("HOME");
        return home == null || home.isEmpty() ? null : home + "/.cache/start_server";
    }

    private Defaults() {
    }
}
