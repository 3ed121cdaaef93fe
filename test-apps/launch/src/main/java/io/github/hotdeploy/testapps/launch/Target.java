package io.github.hotdeploy.testapps.launch;

import java.nio.file.Path;
import java.util.List;

/**
 * Where a launch is made for: the repository (the built jars and distributions are under it), the
 * JVM, start_server's loopback port, the ports the app binds itself ({@link TestApp#ownPorts()}
 * of them, picked by the caller) and the directory the app's files go to (temporary files,
 * private copies of a distribution's base, keys, stubs, the unix socket).
 */
public record Target(Path repo, Jvm jvm, int port, List<Integer> ownPorts, Path dir) {
    public Target {
        ownPorts = List.copyOf(ownPorts);
    }

    int ownPort(int index) {
        if (index >= ownPorts.size()) {
            throw new IllegalArgumentException("the app binds " + (index + 1) + " ports of its own; given " + ownPorts);
        }
        return ownPorts.get(index);
    }
}
