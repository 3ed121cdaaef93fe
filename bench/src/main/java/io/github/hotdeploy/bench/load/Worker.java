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
 * <p>Resending (off unless --resend=idle-close): a server may close a keep-alive connection it
 * considers idle at the very moment our next request is on its way. We then see a clean end of
 * stream before any byte of a response. Browsers and the common client libraries (Go's net/http,
 * OkHttp, Apache HttpClient) send such a GET again on a new connection; wrk, h2load and any client
 * of a POST do not, and see an error. With the option on, we resend a GET once and mark the request
 * "resent": it fails the run all the same (a request the client had to send again is a failed
 * request), but its final outcome is what the resend got. Anything else (a reset, an end of stream
 * after part of a response or on a fresh connection, a timeout) is never resent.
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
    private final Workload workload;
    private final boolean resend;
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
    private long sent;

    Worker(int id, LoadOptions options, Workload workload, RunClock clock, AtomicLong budget, AtomicBoolean stopRequested,
           ErrorSamples samples, LongAdder liveRequests, LongAdder liveFailures) {
        this.id = id;
        this.target = new InetSocketAddress(options.address(), options.port());
        this.workload = workload;
        this.resend = options.resend();
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
        Workload.Exchange exchange = workload.pick(id, sent++);
        long start = System.nanoTime();
        long deadline = start + timeoutNanos;
        int onConnection = connection == null ? 0 : connection.completedExchanges();
        boolean resent = false;
        Outcome outcome;
        int status = 0;
        try {
            Response response;
            try {
                response = send(exchange, deadline);
            } catch (RequestFailure failure) {
                if (!resend || !failure.isIdleClose() || !exchange.idempotent()) {
                    throw failure;
                }
                resent = true;
                samples.record(ErrorSamples.RESENT, failure.getMessage());
                response = send(exchange, deadline);
            }
            status = response.status();
            if (!response.is2xx()) {
                outcome = Outcome.NON_2XX;
                samples.record(Outcome.NON_2XX.label(), "HTTP status " + status);
            } else if (response.bodyMismatch() != null) {
                outcome = Outcome.BODY_MISMATCH;
                samples.record(outcome.label(), workload.kinds().get(exchange.kind()) + ": " + response.bodyMismatch());
            } else {
                outcome = Outcome.OK;
            }
        } catch (RequestFailure failure) {
            outcome = failure.outcome();
            samples.record(outcome.label(), workload.kinds().get(exchange.kind()) + ": " + failure.getMessage());
        }
        long latency = System.nanoTime() - start;
        log.add(start - clock.startNanos(), latency, outcome, status, resent, id, onConnection, exchange.kind());
        liveRequests.increment();
        if (outcome.isFailure() || resent) {
            liveFailures.increment();
        }
        if (connection != null && (mode == Mode.CLOSE || !connection.reusable())) {
            RawHttpConnection finished = connection;
            connection = null;
            finished.closeAfterServer(CLOSE_WAIT_NANOS);
        }
    }

    /** Uses the current connection, opening one first if there is none; a failed one is dropped. */
    private Response send(Workload.Exchange exchange, long deadline) throws RequestFailure {
        if (connection == null) {
            connection = RawHttpConnection.open(target, deadline);
        }
        try {
            return connection.exchange(exchange.request(), exchange.expectedBody(), deadline);
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
