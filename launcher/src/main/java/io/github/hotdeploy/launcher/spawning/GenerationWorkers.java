package io.github.hotdeploy.launcher.spawning;

import io.github.hotdeploy.launcher.os.Errno;
import io.github.hotdeploy.launcher.os.Native;
import io.github.hotdeploy.launcher.supervision.Workers;
import java.util.List;
import java.util.OptionalInt;

/** The real {@link Workers}: generations are posix_spawn'ed with their sockets. */
public final class GenerationWorkers implements Workers {
    private static final int WNOHANG = 1;

    private final Native nat;
    private final ChildSpawner spawner;
    private final List<String> argv;
    private final String directory;
    private final List<SpawnRequest.FdMapping> sockets;
    private final ChildEnvironment environment;

    public GenerationWorkers(Native nat, ChildSpawner spawner, List<String> argv, String directory,
                             List<SpawnRequest.FdMapping> sockets, ChildEnvironment environment) {
        this.nat = nat;
        this.spawner = spawner;
        this.argv = List.copyOf(argv);
        this.directory = directory;
        this.sockets = List.copyOf(sockets);
        this.environment = environment;
    }

    @Override
    public long spawn(int generation, boolean afterFirstWakeup) throws WorkerSpawnException {
        try {
            return spawner.spawn(new SpawnRequest(argv, environment.forGeneration(generation, afterFirstWakeup),
                    directory, sockets, false, false));
        } catch (SpawnFailure e) {
            throw new WorkerSpawnException(e.getMessage());
        }
    }

    @Override
    public void signal(long pid, int signal) {
        nat.posix().kill(pid, signal);
    }

    @Override
    public OptionalInt reap(long pid) {
        int[] status = new int[1];
        int r = nat.posix().waitpid(pid, status, WNOHANG);
        if (r == pid) {
            return OptionalInt.of(status[0]);
        }
        if (r < 0 && nat.posix().errno() == Errno.ECHILD) {
            // Not our child any more (reaped elsewhere): it is gone, status unknown.
            return OptionalInt.of(-1);
        }
        return OptionalInt.empty();
    }
}
