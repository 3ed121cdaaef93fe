package io.github.hotdeploy.launcher.sockets;

import java.util.OptionalInt;

/** One socket start_server must bind: a {@code --port} or a {@code --path}. */
public sealed interface ListenSpec permits InetListenSpec, UnixListenSpec {

    /** The key it gets in SERVER_STARTER_PORT, exactly as the original writes it. */
    String key();

    /** The fd number asked for with {@code =FD}, if any. */
    OptionalInt requestedFd();
}
