package io.github.hotdeploy.launcher.spawning;

/** posix_spawn refused: the program could not be found or executed, or the directory is missing. */
public final class SpawnFailure extends Exception {
    private final int errno;

    public SpawnFailure(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
