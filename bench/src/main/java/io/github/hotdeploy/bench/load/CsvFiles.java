package io.github.hotdeploy.bench.load;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/** The CSV outputs. Times are ms from the start of the run, with epoch ms alongside for joins. */
final class CsvFiles {

    static final String TIMELINE_HEADER =
            "offset_ms,epoch_ms,requests,ok,failures,resent,p50_ms,p99_ms,max_ms,marks";
    static final String REQUESTS_HEADER =
            "offset_ms,epoch_ms,latency_ms,outcome,status,worker,on_connection,resent,kind";

    private CsvFiles() {
    }

    /** Latency columns are over the bucket's 2xx requests and empty when it had none. */
    static void writeTimeline(Path file, List<Timeline.Bucket> buckets) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(TIMELINE_HEADER);
            out.newLine();
            for (Timeline.Bucket b : buckets) {
                out.write(b.offsetMs() + "," + b.epochMs() + "," + b.requests() + "," + b.ok() + "," + b.failures()
                        + "," + b.resent() + "," + Format.ms(b.okLatency().p50()) + ","
                        + Format.ms(b.okLatency().p99()) + "," + Format.ms(b.okLatency().max()) + ","
                        + Format.csvField(String.join(" | ", b.marks())));
                out.newLine();
            }
        }
    }

    /** One line per request, or only the failed or resent ones, in order of start time. */
    static void writeRequests(Path file, RequestLog log, List<String> kinds, RunClock clock, boolean failuresOnly)
            throws IOException {
        // Written beside and renamed when complete: a reader never sees half a file, even if the
        // JVM is stopped while writing.
        Path part = file.resolveSibling(file.getFileName() + ".part");
        try (BufferedWriter out = Files.newBufferedWriter(part, StandardCharsets.UTF_8)) {
            out.write(REQUESTS_HEADER);
            out.newLine();
            int[] order = IntStream.range(0, log.size())
                    .filter(i -> !failuresOnly || log.outcome(i).isFailure() || log.resent(i))
                    .boxed()
                    .sorted(Comparator.comparingLong(log::startNanos))
                    .mapToInt(Integer::intValue)
                    .toArray();
            for (int i : order) {
                long start = log.startNanos(i);
                out.write(Format.ms(start) + "," + clock.epochMsAt(start) + "," + Format.ms(log.latencyNanos(i)) + ","
                        + log.outcome(i).label() + "," + log.status(i) + "," + log.worker(i) + ","
                        + log.onConnection(i) + "," + (log.resent(i) ? 1 : 0) + "," + Format.csvField(kinds.get(log.kind(i))));
                out.newLine();
            }
        }
        Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
