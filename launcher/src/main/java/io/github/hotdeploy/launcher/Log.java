package io.github.hotdeploy.launcher;

/**
 * start_server's own log lines, on stderr like the original's (and so in --log-file once
 * redirected). The texts of the lines the original prints are kept word for word: log watchers
 * match them.
 */
public final class Log {
    private Log() {
    }

    public static synchronized void line(String message) {
        System.err.println(message);
        System.err.flush();
    }

    /** A fatal one-line error, prefixed with the program's name. */
    public static void error(String message) {
        line("start_server: " + message);
    }
}
