package io.github.hotdeploy.integration.support;

import io.github.hotdeploy.testsupport.Jdk;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the built artefacts are: bin/start_server, demo-app.jar, bench.jar, and the JDKs. */
public final class Repo {

    private Repo() {
    }

    public static Path root() {
        return Path.of(System.getProperty("it.basedir", "."), "..").toAbsolutePath().normalize();
    }

    public static Path startServer() {
        return existing(root().resolve("bin/start_server"));
    }

    public static Path demoJar() {
        return existing(root().resolve("demo-app/target/demo-app.jar"));
    }

    public static Path benchJar() {
        return existing(root().resolve("bench/target/bench.jar"));
    }

    /** A test app's jar: test-apps/MODULE/target/test-app-MODULE.jar. */
    public static Path testApp(String module) {
        return existing(root().resolve("test-apps/" + module + "/target/test-app-" + module + ".jar"));
    }

    /** JDK 17's java, its version checked (test-support's {@link Jdk}). */
    public static String java17() {
        return Jdk.JDK_17.java();
    }

    /** A port that was free a moment ago, on 127.0.0.1. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Path existing(Path path) {
        if (!Files.exists(path)) {
            throw new IllegalStateException(path + " is missing: build with mvn -DskipTests package first");
        }
        return path;
    }
}
