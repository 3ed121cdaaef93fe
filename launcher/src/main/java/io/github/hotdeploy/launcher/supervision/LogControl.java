package io.github.hotdeploy.launcher.supervision;

import java.util.Optional;

/** The log as the supervisor sees it: reopened on USR1, its command (if any) reaped when it exits. */
public interface LogControl {

    /** Reopens a log file, or restarts a log command that has exited; a one-line outcome for the log. */
    String reopen();

    /** Collects the log command's exit status if it has exited: the line that says so. */
    default Optional<String> reapCommand() {
        return Optional.empty();
    }
}
