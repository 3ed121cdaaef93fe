package io.github.hotdeploy.launcher.cli;

/** Every exit status start_server uses, decided here and nowhere else. */
public final class ExitCodes {
    /** Clean exit: after TERM/INT, or --help, --version, a successful --restart or --stop. */
    public static final int OK = 0;
    /** Bad command line: unknown option, malformed value, missing program. Same as the original. */
    public static final int USAGE = 1;
    /** Could not start: a socket, file, directory or program that is not usable. */
    public static final int FAILURE = 2;
    /**
     * --restart: the new generation did not take over: it died before it counted as started, missed
     * its readiness deadline, could not be started, start_server exited, or the wait timed out.
     */
    public static final int RESTART_FAILED = 3;
    /** --status: start_server runs, but no generation is serving (starting, retrying, stopping). */
    public static final int NOT_SERVING = 4;
    /** Stopped on TERM/INT, but some generation outlived --force-kill-after and was sent KILL. */
    public static final int STOPPED_WITH_KILL = 5;

    private ExitCodes() {
    }
}
