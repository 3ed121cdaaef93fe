package io.github.hotdeploy.bench.restart;

import java.io.IOException;

/** One way of replacing a running server by a new one on the same port. */
interface Handover extends AutoCloseable {

    /** A short name for reports: start_server, stop-start, reuseport. */
    String name();

    /** Starts the first generation and waits until it serves; false if it never did. */
    boolean start() throws IOException, InterruptedException;

    /**
     * Replaces the running generation and waits until the old one is gone (bounded). The label
     * of the moment it acted goes to the marks through the listener.
     */
    Restart restart(int number, Marks marks) throws IOException, InterruptedException;

    @Override
    void close();

    /** Appends the harness's marks for the load generator's {@code --marks} file. */
    interface Marks {
        void mark(long epochMs, String label);
    }
}
