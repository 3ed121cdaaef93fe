package io.github.hotdeploy.launcher.sockets;

/**
 * A socket start_server has bound.
 *
 * @param spec what was asked for
 * @param fd the descriptor in start_server itself
 * @param childFd the number it gets in every child, as announced in SERVER_STARTER_PORT
 */
public record BoundSocket(ListenSpec spec, int fd, int childFd) {

    /** The {@code KEY=FD} entry of SERVER_STARTER_PORT. */
    public String entry() {
        return spec.key() + "=" + childFd;
    }
}
