package io.github.hotdeploy.bench.load;

import java.io.IOException;

/** The connection ended (a clean FIN) before the response was complete. */
final class ResponseEofException extends IOException {

    private final boolean beforeAnyByte;

    ResponseEofException(String message, boolean beforeAnyByte) {
        super(message);
        this.beforeAnyByte = beforeAnyByte;
    }

    /** True when not one byte of the response had arrived: the signature of an idle close. */
    boolean beforeAnyByte() {
        return beforeAnyByte;
    }
}
