package io.github.hotdeploy.testapps.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A server the restart harness and the integration tests run, unmodified, by the command line its module documents. */
public interface TestApp {
    String name();

    /** What must be built for it, relative to the repository (shown when it is missing). */
    String artifact();

    default boolean built(Path repo) {
        return Files.exists(repo.resolve(artifact()));
    }

    /**
     * Prepares what the server needs in the target's directory and says how to start a
     * generation. Every generation of a run starts with the same launch.
     */
    Launch launch(Target target) throws IOException;

    /** How many ports it binds itself besides start_server's (a stock Tomcat's shutdown and AJP ports...). */
    default int ownPorts() {
        return 0;
    }

    /** Listens on a unix socket ({@link TestApps#socket}) instead of start_server's TCP port. */
    default boolean unixSocket() {
        return false;
    }

    /** The restart harness runs it (by default, or when named): one HTTP server on one TCP port. */
    default boolean harness() {
        return true;
    }

    /** Answers GET /bytes and POST /echo (test-apps' Bodies): the load generator checks its bodies. */
    default boolean bodies() {
        return true;
    }

    /** Answers GET /sleep?ms=N for any N (the in-flight check). */
    default boolean sleeps() {
        return true;
    }

    /** "http" or "https". */
    default String scheme() {
        return "http";
    }

    /** Speaks HTTP/2 too (h2c on its http port): h2load can load it. */
    default boolean http2() {
        return false;
    }

    /**
     * wrk can count its {@code Connection: close} requests to this server. Not so where the
     * JDK's httpserver closes without saying so (wrk writes its next request into the closed
     * socket) or WireMock ends the body by closing (no Content-Length): wrk counts a read
     * error for every request, with or without start_server.
     */
    default boolean announcesClose() {
        return true;
    }
}
