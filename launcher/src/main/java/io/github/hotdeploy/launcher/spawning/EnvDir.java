package io.github.hotdeploy.launcher.spawning;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * daemontools-style envdir, read as the original reads it: every file whose name does not start
 * with a dot is a variable, its first line (without the newline) the value, byte for byte (a
 * byte string, see {@link EnvBytes}); an empty file is skipped, as is anything unreadable. A
 * missing directory yields nothing.
 *
 * <p>A value ends at its first NUL byte, as it would in the kernel's copy of the environment.
 * One longer than the kernel takes for a variable (MAX_ARG_STRLEN, 128 KiB with its name) would
 * make every spawn fail with E2BIG: it is reported as a problem naming the file instead.
 */
public final class EnvDir {
    /** MAX_ARG_STRLEN on Linux (32 pages of 4 KiB): the most one NAME=VALUE string may take, its NUL included. */
    public static final int MAX_VARIABLE_BYTES = 32 * 4096;
    private static final byte[] TOO_LONG = new byte[0];

    /** The variables, and what made files unusable (empty when all were fine). */
    public record Snapshot(Map<String, String> variables, List<String> problems) {
    }

    private EnvDir() {
    }

    public static Map<String, String> load(String directory) {
        return read(directory).variables();
    }

    public static Snapshot read(String directory) {
        Map<String, String> vars = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        if (directory == null) {
            return new Snapshot(vars, problems);
        }
        Path dir = Path.of(directory);
        if (!Files.isDirectory(dir)) {
            return new Snapshot(vars, problems);
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.startsWith(".") || !Files.isRegularFile(entry)) {
                    continue;
                }
                String variable = EnvBytes.fromText(name);
                byte[] value = firstLine(entry, MAX_VARIABLE_BYTES - variable.length() - 2);
                if (value == TOO_LONG) {
                    problems.add("envdir file " + entry + ": its first line is longer than the kernel takes for a"
                            + " variable (" + MAX_VARIABLE_BYTES + " bytes with its name)");
                } else if (value != null) {
                    vars.put(variable, EnvBytes.of(value));
                }
            }
        } catch (IOException e) {
            // Unreadable directory: the original's opendir fails and it loads nothing.
        }
        return new Snapshot(vars, problems);
    }

    /** The first line's bytes up to a newline or NUL; null for an empty or unreadable file; TOO_LONG. */
    private static byte[] firstLine(Path file, int maxBytes) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b = in.read();
            if (b < 0) {
                return null;
            }
            for (; b >= 0; b = in.read()) {
                if (b == '\n' || b == 0) {
                    break; // after a NUL the rest of the line never reaches the child: read no further
                }
                if (line.size() >= maxBytes) {
                    return TOO_LONG;
                }
                line.write(b);
            }
            return line.toByteArray();
        } catch (IOException e) {
            return null;
        }
    }
}
