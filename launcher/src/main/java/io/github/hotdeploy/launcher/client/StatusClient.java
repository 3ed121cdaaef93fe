package io.github.hotdeploy.launcher.client;

import io.github.hotdeploy.launcher.cli.ExitCodes;
import io.github.hotdeploy.launcher.cli.UsageError;
import io.github.hotdeploy.launcher.files.StateFile;
import io.github.hotdeploy.launcher.os.Native;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Optional;

/**
 * {@code --status}: what the start_server holding the pid file is doing, from the state file it
 * keeps beside it. Exit status 0 only when a generation is serving; {@link ExitCodes#NOT_SERVING}
 * when start_server runs but none is (starting, retrying, stopping); {@link ExitCodes#FAILURE}
 * when no start_server runs.
 */
public final class StatusClient {
    private StatusClient() {
    }

    public static int run(Native nat, String pidFile, boolean json, PrintStream out) {
        RunningServer server;
        try {
            server = RunningServer.find(nat, pidFile);
        } catch (UsageError e) {
            out.print(json ? StatusReport.withoutStateJson(false, e.getMessage()) : StatusReport.notRunningText(e.getMessage()));
            return ExitCodes.FAILURE;
        }
        Optional<StateFile.State> state;
        try {
            state = StateFile.read(StateFile.beside(pidFile));
        } catch (IOException | StateFile.Malformed e) {
            String why = "start_server (pid " + server.pid() + ") runs, but its state cannot be read: " + e.getMessage();
            out.print(json ? StatusReport.withoutStateJson(true, why) : why + "\n");
            return ExitCodes.NOT_SERVING;
        }
        if (state.isEmpty() || state.get().pid() != server.pid()) {
            // Between taking the lock and the first write, or a start_server that keeps no state (the original).
            String why = "start_server (pid " + server.pid() + ") runs but keeps no state in "
                    + StateFile.beside(pidFile) + " (yet)";
            out.print(json ? StatusReport.withoutStateJson(true, why) : why + "\n");
            return ExitCodes.NOT_SERVING;
        }
        out.print(json ? StatusReport.json(state.get()) : StatusReport.text(state.get(), System.currentTimeMillis()));
        return StatusReport.serving(state.get().snapshot()) ? ExitCodes.OK : ExitCodes.NOT_SERVING;
    }
}
