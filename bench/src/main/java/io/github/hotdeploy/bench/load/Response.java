package io.github.hotdeploy.bench.load;

/**
 * The parts of a response the load generator keeps: its status, and whether the connection may
 * carry another request (false after "Connection: close", or a body delimited by closing).
 */
record Response(int status, boolean reusable) {

    boolean is2xx() {
        return status >= 200 && status < 300;
    }
}
