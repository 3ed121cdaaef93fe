package io.github.hotdeploy.launcher.spawning;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * daemontools-style envdir, read as the original reads it: every file whose name does not start
 * with a dot is a variable, its first line (without the newline) the value; an empty file is
 * skipped, as is anything unreadable. A missing directory yields nothing.
 */
public final class EnvDir {
    private EnvDir() {
    }

    public static Map<String, String> load(String directory) {
        Map<String, String> vars = new TreeMap<>();
        if (directory == null) {
            return vars;
        }
        Path dir = Path.of(directory);
        if (!Files.isDirectory(dir)) {
            return vars;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.startsWith(".") || !Files.isRegularFile(entry)) {
                    continue;
                }
                String value = firstLine(entry);
                if (value != null) {
                    vars.put(name, value);
                }
            }
        } catch (IOException e) {
            // Unreadable directory: the original's opendir fails and it loads nothing.
        }
        return vars;
    }

    private static String firstLine(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = in.readNBytes(1 << 16);
            if (buffer.length == 0) {
                return null;
            }
            int end = 0;
            while (end < buffer.length && buffer[end] != '\n') {
                end++;
            }
            return new String(buffer, 0, end, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }
}
