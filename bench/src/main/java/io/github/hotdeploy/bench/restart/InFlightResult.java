package io.github.hotdeploy.bench.restart;

/**
 * The in-flight check: a GET /sleep?ms=N sent to the running generation, then SIGHUP; the old
 * generation gets TERM while the request sleeps, and the request must still end with a 2xx.
 *
 * @param termDuringRequest whether TERM really came between the request's start and its end;
 *                          if not, the check proves nothing and says so
 */
record InFlightResult(String jdk, String server, int status, String body, String error, long requestStartMs,
                      long requestEndMs, long termMs, long oldGoneMs, boolean termDuringRequest,
                      double drainCpuMs, long drainMs) {

    boolean passed() {
        return termDuringRequest && status >= 200 && status < 300;
    }

    String verdict() {
        if (!termDuringRequest) {
            return "INCONCLUSIVE";
        }
        return passed() ? "PASS" : "FAIL";
    }

    double drainCpuMsPerSecond() {
        return drainCpuMs < 0 || drainMs < 100 ? -1 : drainCpuMs * 1000.0 / drainMs;
    }
}
