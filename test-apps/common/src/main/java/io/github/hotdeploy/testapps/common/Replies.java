package io.github.hotdeploy.testapps.common;

/**
 * The bodies every test app sends, identical across servers so one parser reads them all.
 * GET / answers {@code server=NAME pid=PID generation=GEN}; tests tell generations apart by it.
 * The generation is only displayed: none of the apps acts on start_server's environment.
 */
public final class Replies {

    /** Upper bound for /sleep, so a mistyped request cannot pin a worker for hours. */
    public static final long MAX_SLEEP_MS = 60_000;

    private Replies() {
    }

    public static String hello(String server) {
        String generation = System.getenv("SERVER_STARTER_GENERATION");
        return "server=" + server + " pid=" + ProcessHandle.current().pid()
                + " generation=" + (generation == null ? "none" : generation) + "\n";
    }

    public static String slept(String server, long ms) {
        return "server=" + server + " pid=" + ProcessHandle.current().pid() + " slept=" + ms + "\n";
    }

    /** The {@code ms} parameter of a raw query string (null or "ms=250&x=y"); 0 when absent or malformed. */
    public static long sleepMillis(String rawQuery) {
        if (rawQuery == null) {
            return 0;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.startsWith("ms=")) {
                try {
                    return Math.max(0, Math.min(MAX_SLEEP_MS, Long.parseLong(pair.substring(3))));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    public static boolean isSleep(String path) {
        return "/sleep".equals(path);
    }
}
