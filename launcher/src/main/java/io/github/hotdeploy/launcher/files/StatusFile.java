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
 * reader never sees a half-written file ({@link Replace}: never through a planted link); removed
 * at exit only if this process wrote it.
 */
public final class StatusFile {
    private final Path path;
    private boolean created;

    public StatusFile(String path) {
        this.path = Path.of(path);
    }

    /** Fails now, with the reason, if the file could never be written. */
    public void checkWritable() throws IOException {
        Files.delete(Replace.createTemporary(path));
    }

    /** @param generations generation number to pid, sorted by generation */
    public void write(SortedMap<Integer, Long> generations) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Integer, Long> e : generations.entrySet()) {
            sb.append(e.getKey()).append(':').append(e.getValue()).append('\n');
        }
        Replace.write(path, sb, StandardCharsets.US_ASCII);
        created = true;
    }

    public void remove() {
        if (created) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // Nothing useful left to do at exit.
            }
        }
    }
}
