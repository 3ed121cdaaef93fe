package io.github.hotdeploy.bench.load;

import java.util.Arrays;
import java.util.List;

/**
 * Every request of a run, in parallel primitive arrays (about 30 bytes a request) so that
 * millions fit. One log per worker while running; merged with {@link #concat} afterwards.
 */
final class RequestLog {

    private static final Outcome[] OUTCOMES = Outcome.values();

    private int size;
    /** Start, as nanoseconds since the run began. */
    private long[] startNanos;
    /** From just before connecting or sending to the end of the response or the failure. */
    private long[] latencyNanos;
    /** The HTTP status, or 0 when there was no complete response. */
    private short[] status;
    private byte[] outcome;
    /** 1 when the request was sent again after an idle close (see Worker). */
    private byte[] resent;
    /** The workload's kind of request (see Workload#kinds). */
    private byte[] kind;
    private int[] worker;
    /** How many responses the connection had carried before this request: 0 for a fresh one. */
    private int[] onConnection;

    RequestLog() {
        this(1024);
    }

    RequestLog(int capacity) {
        startNanos = new long[capacity];
        latencyNanos = new long[capacity];
        status = new short[capacity];
        outcome = new byte[capacity];
        resent = new byte[capacity];
        kind = new byte[capacity];
        worker = new int[capacity];
        onConnection = new int[capacity];
    }

    void add(long start, long latency, Outcome result, int httpStatus, boolean wasResent,
             int workerId, int previousOnConnection, int kindIndex) {
        if (size == startNanos.length) {
            grow(size * 2);
        }
        startNanos[size] = start;
        latencyNanos[size] = latency;
        status[size] = (short) httpStatus;
        outcome[size] = (byte) result.ordinal();
        resent[size] = (byte) (wasResent ? 1 : 0);
        kind[size] = (byte) kindIndex;
        worker[size] = workerId;
        onConnection[size] = previousOnConnection;
        size++;
    }

    private void grow(int capacity) {
        startNanos = Arrays.copyOf(startNanos, capacity);
        latencyNanos = Arrays.copyOf(latencyNanos, capacity);
        status = Arrays.copyOf(status, capacity);
        outcome = Arrays.copyOf(outcome, capacity);
        resent = Arrays.copyOf(resent, capacity);
        kind = Arrays.copyOf(kind, capacity);
        worker = Arrays.copyOf(worker, capacity);
        onConnection = Arrays.copyOf(onConnection, capacity);
    }

    static RequestLog concat(List<RequestLog> logs) {
        int total = logs.stream().mapToInt(RequestLog::size).sum();
        RequestLog all = new RequestLog(Math.max(1, total));
        for (RequestLog log : logs) {
            for (int i = 0; i < log.size; i++) {
                all.add(log.startNanos[i], log.latencyNanos[i], log.outcome(i), log.status[i],
                        log.resent[i] != 0, log.worker[i], log.onConnection[i], log.kind[i]);
            }
        }
        return all;
    }

    int size() {
        return size;
    }

    long startNanos(int i) {
        return startNanos[i];
    }

    long latencyNanos(int i) {
        return latencyNanos[i];
    }

    int status(int i) {
        return status[i];
    }

    Outcome outcome(int i) {
        return OUTCOMES[outcome[i]];
    }

    boolean resent(int i) {
        return resent[i] != 0;
    }

    int kind(int i) {
        return kind[i] & 0xff;
    }

    int worker(int i) {
        return worker[i];
    }

    int onConnection(int i) {
        return onConnection[i];
    }
}
