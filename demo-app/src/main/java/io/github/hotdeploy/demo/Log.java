package io.github.hotdeploy.demo;

import java.time.Instant;

/** One line per event on stdout, timestamped so it can be lined up with start_server's log. */
final class Log {

    private Log() {
    }

    static void info(String message) {
        // println on System.out is synchronized, so lines from the hook and workers do not interleave.
        System.out.println(Instant.now() + " demo-app[" + ProcessHandle.current().pid() + "] " + message);
        System.out.flush();
    }
}
