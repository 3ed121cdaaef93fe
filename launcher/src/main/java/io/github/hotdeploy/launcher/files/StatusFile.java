package io.github.hotdeploy.launcher.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;

/**
 * The status file: one {@code GENERATION:PID} line per live generation, in numeric order (the
 * original sorts as strings, putting 10 before 9). Written to a temporary file and renamed, so a
 * reader never sees a half-written file; removed at exit only if this process wrote it.
 */
public final class StatusFile {
    private final Path path;
    private final Path temporary;
    private boolean created;

    public StatusFile(String path, long pid) {
        this.path = Path.of(path);
        this.temporary = Path.of(path + "." + pid);
    }

    /** Fails now, with the reason, if the file could never be written. */
    public void checkWritable() throws IOException {
        try {
            Files.writeString(temporary, "", StandardCharsets.US_ASCII);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** @param generations generation number to pid, sorted by generation */
    public void write(SortedMap<Integer, Long> generations) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Integer, Long> e : generations.entrySet()) {
            sb.append(e.getKey()).append(':').append(e.getValue()).append('\n');
        }
        Replace.write(path, temporary, sb, StandardCharsets.US_ASCII);
        created = true;
    }

    public void remove() {
        try {
            Files.deleteIfExists(temporary); // named with our pid: ours, whatever became of the write
            if (created) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // Nothing useful left to do at exit.
        }
    }
}
