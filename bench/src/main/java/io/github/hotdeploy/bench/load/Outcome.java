package io.github.hotdeploy.bench.load;

/**
 * What became of one request. Each error has its own kind because they mean different things
 * during a restart: "refused" means nobody held the listening socket, "reset" means a process
 * closed a connection with data unread, "premature EOF" means a connection was closed before
 * any byte of an answer (on a reused connection: it was closed as idle while the request was on
 * its way), "cut response" means it was closed in the middle of one: the worst, as a proxy may
 * pass such a response on as a success.
 */
enum Outcome {
    /** A 2xx response, read to its end. */
    OK("ok"),
    /** A complete response with any other status. */
    NON_2XX("non_2xx"),
    CONNECT_REFUSED("connect_refused"),
    CONNECT_TIMEOUT("connect_timeout"),
    /** Any other failure to connect (unreachable, no ephemeral port left, ...). */
    CONNECT_ERROR("connect_error"),
    /** ECONNRESET while sending or reading. */
    RESET("reset"),
    /** EPIPE while sending the request: the server had already closed and reset the connection. */
    BROKEN_PIPE("broken_pipe"),
    /** No complete response before --timeout-ms. */
    TIMEOUT("timeout"),
    /** The connection ended (a clean FIN) before any byte of the response. */
    PREMATURE_EOF("premature_eof"),
    /** The connection ended after part of the response: in its head, or its body short of its length or last chunk. */
    CUT_RESPONSE("cut_response"),
    /** A complete 2xx response whose body was not the expected one, byte for byte (see Bodies). */
    BODY_MISMATCH("body_mismatch"),
    /** Bytes that are not an HTTP/1.x response. */
    PROTOCOL_ERROR("protocol_error"),
    /** Any other I/O error; the sample message in the summary says which. */
    OTHER_IO("other_io");

    private final String label;

    Outcome(String label) {
        this.label = label;
    }

    /** The name used in every output: summary, CSV and JSON. */
    String label() {
        return label;
    }

    boolean isSocketError() {
        return this != OK && this != NON_2XX;
    }

    boolean isFailure() {
        return this != OK;
    }
}
