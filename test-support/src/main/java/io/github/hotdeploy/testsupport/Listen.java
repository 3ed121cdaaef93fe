package io.github.hotdeploy.testsupport;

import java.nio.file.Path;

/** One address start_server listens on for an app: 127.0.0.1:PORT, or a unix socket file. */
public record Listen(int port, Path path) {

    public static Listen freeTcpPort() {
        // Free a moment ago; start_server binds it within the second, nothing else here picks ports.
        return new Listen(FreePorts.tcp(), null);
    }

    public static Listen unix(Path path) {
        return new Listen(-1, path);
    }

    public boolean isUnix() {
        return path != null;
    }

    /** start_server's option for it. */
    public String option() {
        return isUnix() ? "--path=" + path : "--port=127.0.0.1:" + port;
    }

    /** Its key in SERVER_STARTER_PORT, which the agent also uses in its log lines. */
    public String key() {
        return isUnix() ? path.toString() : "127.0.0.1:" + port;
    }

    @Override
    public String toString() {
        return key();
    }
}
