package io.github.hotdeploy.launcher.it;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** The programs start_server runs in these tests (test resources under it/). */
final class Fixtures {
    private Fixtures() {
    }

    static Path resource(String name) {
        URL url = Fixtures.class.getResource("/it/" + name);
        if (url == null) {
            throw new IllegalStateException("test resource it/" + name + " is missing");
        }
        try {
            return Paths.get(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The Python interpreter, as a real binary: a version manager's shim on the PATH (pyenv's is
     * a bash script) would make the worker pid a shell for a while and slow every start.
     */
    static String python() {
        for (String candidate : List.of("/usr/bin/python3", "/usr/local/bin/python3")) {
            if (Files.isExecutable(Paths.get(candidate))) {
                return candidate;
            }
        }
        return "python3";
    }

    /** The Python fixture server (see fixture_server.py for its knobs), then extra arguments. */
    static List<String> pythonServer(String... args) {
        List<String> command = new ArrayList<>(List.of(python(), resource("fixture_server.py").toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** The single-file Java fixture, run in source-file mode (no build step of its own). */
    static List<String> javaServer() {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", resource("InheritedChannelServer.java").toString());
    }
}
