package io.github.hotdeploy.launcher.cli;

/** A one-line error naming the culprit, and the exit code it deserves. */
public final class UsageError extends Exception {
    private final int exitCode;

    public UsageError(String message) {
        this(message, ExitCodes.USAGE);
    }

    public UsageError(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
