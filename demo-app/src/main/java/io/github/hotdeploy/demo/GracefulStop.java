package io.github.hotdeploy.demo;

/**
 * The shutdown hook: what a typical app does on SIGTERM, nothing cleverer. The JDK's
 * HttpServer#stop closes the listener, lets exchanges in progress run for up to the delay, then
 * closes every connection, idle keep-alive ones included.
 */
final class GracefulStop implements Runnable {

    private final DemoServer server;
    private final int delaySeconds;

    GracefulStop(DemoServer server, int delaySeconds) {
        this.server = server;
        this.delaySeconds = delaySeconds;
    }

    @Override
    public void run() {
        Log.info("shutting down: stopping the HTTP server (waiting up to " + delaySeconds
                + " s for requests in progress)");
        server.stop(delaySeconds);
        Log.info("stopped after serving " + server.requestCount() + " requests");
    }
}
