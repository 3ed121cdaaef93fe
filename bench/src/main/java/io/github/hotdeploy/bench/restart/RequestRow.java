package io.github.hotdeploy.bench.restart;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One request from the load generator's {@code requests.csv} ({@code --raw}). Windows and
 * percentiles need every request: the 100 ms buckets of timeline.csv cannot be merged into
 * exact percentiles.
 */
record RequestRow(long startEpochMs, double latencyMs, String outcome, int status, boolean resent, String kind) {

    static final String HEADER = "offset_ms,epoch_ms,latency_ms,outcome,status,worker,on_connection,resent,kind";

    RequestRow(long startEpochMs, double latencyMs, String outcome, int status) {
        this(startEpochMs, latencyMs, outcome, status, false, "");
    }

    boolean ok() {
        return "ok".equals(outcome);
    }

    boolean non2xx() {
        return "non_2xx".equals(outcome);
    }

    boolean socketError() {
        return !ok() && !non2xx();
    }

    static List<RequestRow> read(Path csv) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            return read(in);
        }
    }

    static List<RequestRow> read(BufferedReader in) throws IOException {
        String header = in.readLine();
        if (header == null || !header.strip().equals(HEADER)) {
            // A changed format must stop the report, not shift columns silently.
            throw new IOException("requests.csv: unexpected header: " + header);
        }
        List<RequestRow> rows = new ArrayList<>();
        String line;
        int n = 1;
        while ((line = in.readLine()) != null) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length < 9) {
                throw new IOException("requests.csv line " + n + ": too few fields: " + line);
            }
            try {
                long epoch = Long.parseLong(f[1]);
                double latency = f[2].isEmpty() ? -1 : Double.parseDouble(f[2]);
                int status = f[4].isEmpty() ? 0 : Integer.parseInt(f[4]);
                // The kind may be quoted (CSV) but never contains a comma: Workload's labels do not.
                rows.add(new RequestRow(epoch, latency, f[3], status, "1".equals(f[7]), f[8].replace("\"", "")));
            } catch (NumberFormatException e) {
                throw new IOException("requests.csv line " + n + ": " + e.getMessage() + ": " + line, e);
            }
        }
        return rows;
    }
}
