package io.github.hotdeploy.launcher.spawning;

import java.util.List;
import java.util.Map;

/**
 * Everything that decides what a child process gets.
 *
 * @param argv program (searched on PATH, like exec) and its arguments
 * @param environment the child's whole environment, as byte strings ({@link EnvBytes})
 * @param directory where the child starts, or null to stay in start_server's directory
 * @param fds descriptors to place in the child; every other descriptor of start_server but 0-2 is closed
 * @param stdinFromDevNull replace fd 0 with /dev/null (daemon mode, when no socket is placed at 0)
 * @param newSession start the child in a new session (daemon mode)
 */
public record SpawnRequest(List<String> argv, Map<String, String> environment, String directory,
                           List<FdMapping> fds, boolean stdinFromDevNull, boolean newSession) {

    /** Place start_server's descriptor {@code source} at number {@code target} in the child. */
    public record FdMapping(int source, int target) {
    }
}
