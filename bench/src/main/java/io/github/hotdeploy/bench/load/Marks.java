package io.github.hotdeploy.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads a marks file: one "EPOCH_MS LABEL" per line, written by whatever drives restarts during a
 * run (a shell can use {@code echo "$(date +%s%3N) SIGHUP" >> marks}). Blank lines and lines
 * starting with '#' are skipped; the label is the rest of the line and may be empty.
 */
final class Marks {

    private Marks() {
    }

    static List<Mark> read(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /** Sorted by time; a malformed line is an error naming its number, not silently dropped. */
    static List<Mark> parse(List<String> lines) {
        List<Mark> marks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = indexOfWhitespace(line);
            String time = space < 0 ? line : line.substring(0, space);
            String label = space < 0 ? "" : line.substring(space).strip();
            if (!time.matches("\\d{1,15}")) {
                throw new IllegalArgumentException("line " + (i + 1) + ": expected \"EPOCH_MS LABEL\", got: " + line);
            }
            marks.add(new Mark(Long.parseLong(time), label));
        }
        marks.sort(Comparator.comparingLong(Mark::epochMs));
        return marks;
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
