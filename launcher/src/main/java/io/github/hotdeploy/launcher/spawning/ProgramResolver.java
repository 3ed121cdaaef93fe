package io.github.hotdeploy.launcher.spawning;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the program the way execvp will, so that a typo is one clear error at start instead of
 * an endless respawn loop (the original's behaviour).
 */
public final class ProgramResolver {
    private ProgramResolver() {
    }

    /** Where the program was found, or why it cannot be run (exactly one is non-null). */
    public record Resolution(Path path, String problem) {
    }

    public static Resolution resolve(String program, String directory, String pathVariable) {
        if (program.contains("/")) {
            Path p = Path.of(program);
            if (!p.isAbsolute() && directory != null) {
                p = Path.of(directory).resolve(p); // the child chdirs to --dir before exec
            }
            if (!Files.exists(p)) {
                return new Resolution(null, "server program not found: " + program);
            }
            if (Files.isDirectory(p) || !Files.isExecutable(p)) {
                return new Resolution(null, "server program is not executable: " + program);
            }
            return new Resolution(p, null);
        }
        String searchPath = pathVariable == null ? "/usr/local/bin:/usr/bin:/bin" : pathVariable;
        boolean foundButNotExecutable = false;
        for (String entry : searchPath.split(":", -1)) {
            Path candidate = Path.of(entry.isEmpty() ? "." : entry).resolve(program);
            if (Files.isRegularFile(candidate)) {
                if (Files.isExecutable(candidate)) {
                    return new Resolution(candidate, null);
                }
                foundButNotExecutable = true;
            }
        }
        return new Resolution(null, foundButNotExecutable ? "server program is not executable: " + program
                : "server program not found on PATH: " + program);
    }
}
