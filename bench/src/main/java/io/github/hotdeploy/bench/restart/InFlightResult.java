package io.github.hotdeploy.bench.restart;

/**
 * The in-flight check: a GET /sleep?ms=N sent to the running generation, then SIGHUP; the old
 * generation gets TERM while the request sleeps, and the request must still end with a 2xx.
 *
 * @param termDuringRequest whether TERM really came between the request's start and its end;
 *                          if not, the check proves nothing and says so
 * @param drainCpuMs        the old JVM's CPU from TERM to exit ({@code drainMs})
 * @param drain             the drain alone: the JVM's CPU until the agent handed over, its thread's
 */
record InFlightResult(String jdk, String server, int status, String body, String error, long requestStartMs,
                      long requestEndMs, long termMs, long oldGoneMs, boolean termDuringRequest,
                      double drainCpuMs, long drainMs, DrainMeter.Cost drain) {

    InFlightResult(String jdk, String server, int status, String body, String error, long requestStartMs,
                   long requestEndMs, long termMs, long oldGoneMs, boolean termDuringRequest,
                   double drainCpuMs, long drainMs) {
        this(jdk, server, status, body, error, requestStartMs, requestEndMs, termMs, oldGoneMs, termDuringRequest,
                drainCpuMs, drainMs, DrainMeter.Cost.UNKNOWN);
    }

    boolean passed() {
        return termDuringRequest && status >= 200 && status < 300;
    }

    String verdict() {
        if (!termDuringRequest) {
            return "INCONCLUSIVE";
        }
        return passed() ? "PASS" : "FAIL";
    }

    /** The old JVM's CPU ms per second from TERM to exit (its shutdown hooks included). */
    double drainCpuMsPerSecond() {
        return DrainMeter.Cost.perSecond(drainCpuMs, drainMs);
    }

    /**
     * The old JVM's CPU ms per second from TERM to the end of the drain: with nothing but one
     * sleeping request, the "CPU per idle second" of the requirement.
     */
    double idleDrainCpuMsPerSecond() {
        return DrainMeter.Cost.perSecond(drain.untilDrainDoneMs(), drain.drainMs());
    }

    /** The drain thread's CPU ms per second of drain. */
    double drainThreadCpuMsPerSecond() {
        return DrainMeter.Cost.perSecond(drain.drainThreadMs(), drain.drainMs());
    }
}
