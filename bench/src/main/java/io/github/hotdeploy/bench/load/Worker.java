package io.github.hotdeploy.bench.load;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One simulated client: a single connection at a time, one request at a time, until the run's
 * end or the shared request budget runs out. Every request it starts is logged, whatever happens.
 *
 * <p>Idle-close retry: a server may close a keep-alive connection it considers idle at the very
 * moment our next request is on its way. We then see a clean end of stream before any byte of a
 * response. Browsers and the common client libraries (Go's net/http, OkHttp, Apache HttpClient)
 * retry such a request once on a new connection, since a GET is idempotent and the server ended
 * the connection without answering. We do the same, count it as an "idle-close retry", and log the
 * request as failed only if the retry fails. Anything else (a reset, an end of stream after part of
 * a response or on a fresh connection, a timeout) is a failure and is never retried.
 *
 * <p>Stale check: a connection that sat idle for {@value #STALE_CHECK_AFTER_MS} ms or more is
 * first checked for an end of stream the server sent while it was idle (as pooling clients do,
 * see RawHttpConnection.closedByServer); if there is one, the request goes on a new connection
 * and the drop is counted apart ("stale connections"), never as a request. Without the check, a
 * request sent on a connection the server ended long before would meet a closed socket: a reset,
 * with any server, with or without start_server.
 */
final class Worker implements Runnable {

    /** How long to wait for the server to close first after a final response; see closeAfterServer. */
    private static final long CLOSE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    static final long STALE_CHECK_AFTER_MS = 1000;

    private final int id;
    private final InetSocketAddress target;
    private final byte[] request;
    private final Mode mode;
    private final long timeoutNanos;
    private final RunClock clock;
    private final Pacer pacer;
    private final AtomicLong budget;
    private final AtomicBoolean stopRequested;
    private final RequestLog log = new RequestLog();
    private final ErrorSamples samples;
    private final LongAdder liveFailures;
    private final LongAdder liveRequests;
    private RawHttpConnection connection;

    Worker(int id, LoadOptions options, RunClock clock, AtomicLong budget, AtomicBoolean stopRequested,
           ErrorSamples samples, LongAdder liveRequests, LongAdder liveFailures) {
        this.id = id;
        this.target = new InetSocketAddress(options.address(), options.port());
        this.request = Request.get(options.host(), options.port(), options.path(), options.mode());
        this.mode = options.mode();
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(options.timeoutMs());
        this.clock = clock;
        this.pacer = Pacer.forWorker(options.rate(), options.connections(), id, clock.startNanos());
        this.budget = budget;
        this.stopRequested = stopRequested;
        this.samples = samples;
        this.liveRequests = liveRequests;
        this.liveFailures = liveFailures;
    }

    @Override
    public void run() {
        try {
            while (!stopRequested.get() && pacer.awaitTurn(clock.endNanos()) && budget.getAndDecrement() > 0) {
                runOne();
            }
        } finally {
            dropConnection();
        }
    }

    RequestLog log() {
        return log;
    }

    private void runOne() {
        if (connection != null && connection.idleNanos() >= TimeUnit.MILLISECONDS.toNanos(STALE_CHECK_AFTER_MS)) {
            String found = connection.closedByServer();
            if (found != null) {
                samples.staleDropped("idle " + connection.idleNanos() / 1_000_000 + " ms: " + found);
                connection = null;
            }
        }
        long start = System.nanoTime();
        long deadline = start + timeoutNanos;
        int onConnection = connection == null ? 0 : connection.completedExchanges();
        boolean retried = false;
        Outcome outcome;
        int status = 0;
        try {
            Response response;
            try {
                response = send(deadline);
            } catch (RequestFailure failure) {
                if (!failure.isIdleClose()) {
                    throw failure;
                }
                retried = true;
                samples.record(ErrorSamples.IDLE_CLOSE, failure.getMessage());
                response = send(deadline);
            }
            status = response.status();
            outcome = response.is2xx() ? Outcome.OK : Outcome.NON_2XX;
            if (!response.is2xx()) {
                samples.record(Outcome.NON_2XX.label(), "HTTP status " + status);
            }
        } catch (RequestFailure failure) {
            outcome = failure.outcome();
            samples.record(outcome.label(), failure.getMessage());
        }
        long latency = System.nanoTime() - start;
        log.add(start - clock.startNanos(), latency, outcome, status, retried, id, onConnection);
        liveRequests.increment();
        if (outcome.isFailure()) {
            liveFailures.increment();
        }
        if (connection != null && (mode == Mode.CLOSE || !connection.reusable())) {
            RawHttpConnection finished = connection;
            connection = null;
            finished.closeAfterServer(CLOSE_WAIT_NANOS);
        }
    }

    /** Uses the current connection, opening one first if there is none; a failed one is dropped. */
    private Response send(long deadline) throws RequestFailure {
        if (connection == null) {
            connection = RawHttpConnection.open(target, deadline);
        }
        try {
            return connection.exchange(request, deadline);
        } catch (RequestFailure failure) {
            dropConnection();
            throw failure;
        }
    }

    private void dropConnection() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }
}
