package io.github.hotdeploy.bench.load;

import java.io.IOException;

/** The server sent something that is not an HTTP/1.x response we can delimit. */
final class MalformedResponseException extends IOException {

    MalformedResponseException(String message) {
        super(message);
    }
}
