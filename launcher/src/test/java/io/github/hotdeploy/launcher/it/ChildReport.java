package io.github.hotdeploy.launcher.it;

import io.github.hotdeploy.testsupport.StartServerRun;
import io.github.hotdeploy.testsupport.Waits;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a fixture server found about itself at start-up (written by fixture_server.py when
 * FIXTURE_REPORT_DIR is set): its environment in order, its open fds, its signal masks.
 */
final class ChildReport {
    final Map<String, String> env = new LinkedHashMap<>();
    final TreeMap<Integer, String> fds = new TreeMap<>();
    final Map<String, String> status = new LinkedHashMap<>();
    final Map<String, String> info = new LinkedHashMap<>();

    /** Waits for the report of generation {@code generation} (the first one, if several). */
    static ChildReport await(Path dir, int generation, StartServerRun run) {
        return Waits.until("the report of generation " + generation + " in " + dir,
                () -> find(dir, generation).map(ChildReport::read), run::describe);
    }

    static Optional<Path> find(Path dir, int generation) throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "report-" + generation + "-*.txt")) {
            files.forEach(found::add);
        }
        return found.stream().sorted().findFirst();
    }

    static ChildReport read(Path file) {
        ChildReport report = new ChildReport();
        try {
            for (String line : Files.readAllLines(file)) {
                String[] parts = line.split("\t", -1);
                String key = unescape(parts[1]);
                String value = unescape(parts[2]);
                switch (parts[0]) {
                    case "env" -> report.env.put(key, value);
                    case "fd" -> report.fds.put(Integer.parseInt(key), value);
                    case "status" -> report.status.put(key, value);
                    case "info" -> report.info.put(key, value);
                    default -> throw new IllegalStateException("unknown record " + line);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return report;
    }

    private static String unescape(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char n = text.charAt(++i);
                out.append(n == 't' ? '\t' : n == 'n' ? '\n' : n == 'r' ? '\r' : n);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    long pid() {
        return Long.parseLong(info.get("pid"));
    }

    /** A mask of /proc/self/status (SigIgn, SigBlk, ...) as bits: bit n-1 is signal n. */
    long mask(String name) {
        return Long.parseUnsignedLong(status.get(name), 16);
    }

    /** The SERVER_STARTER_PORT entries as KEY -> fd, in their order. */
    Map<String, Integer> ports() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        String value = env.getOrDefault("SERVER_STARTER_PORT", "");
        for (String entry : value.split(";")) {
            if (!entry.isEmpty()) {
                int eq = entry.lastIndexOf('=');
                ports.put(entry.substring(0, eq), Integer.parseInt(entry.substring(eq + 1)));
            }
        }
        return ports;
    }
}
