package io.github.hotdeploy.launcher.sockets;

import java.util.OptionalInt;

/** A unix stream socket from {@code --path}; its key is the path exactly as given. */
public record UnixListenSpec(String path) implements ListenSpec {

    @Override
    public String key() {
        return path;
    }

    @Override
    public OptionalInt requestedFd() {
        return OptionalInt.empty();
    }
}
