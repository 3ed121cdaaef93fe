package io.github.hotdeploy.bench.load;

/**
 * The parts of a response the load generator keeps: its status, whether the connection may
 * carry another request (false after "Connection: close", or a body delimited by closing), and,
 * for a body that was checked, where it differed from the expected one (null: it did not, or it
 * was not checked).
 */
record Response(int status, boolean reusable, String bodyMismatch) {

    Response(int status, boolean reusable) {
        this(status, reusable, null);
    }

    boolean is2xx() {
        return status >= 200 && status < 300;
    }
}
