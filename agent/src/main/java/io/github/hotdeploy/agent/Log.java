package io.github.hotdeploy.agent;

/**
 * The agent's only output channel: stderr, one line per message, each prefixed so operators can
 * grep it out of the application's own log. No logging framework: the agent must not load or
 * configure anything the application might also use.
 */
public final class Log {

    private static final String PREFIX = "start_server-agent: ";

    private static volatile boolean quiet;

    private Log() {
    }

    static void setQuiet(boolean value) {
        quiet = value;
    }

    /** Normal progress worth a line in a deployment log (an adoption, readiness). */
    public static void info(String message) {
        if (!quiet) {
            System.err.println(PREFIX + message);
        }
    }

    /** Something the operator should fix; the application carries on as if the agent were absent. */
    public static void warn(String message) {
        System.err.println(PREFIX + "warning: " + message);
    }

    /** Names the exception without a stack trace: the message must fit on one line. */
    public static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getClass().getName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        return text.replace('\n', ' ');
    }
}
