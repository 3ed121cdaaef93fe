package io.github.hotdeploy.bench.restart;

import io.github.hotdeploy.testapps.launch.Jvm;
import io.github.hotdeploy.testapps.launch.Launch;
import io.github.hotdeploy.testapps.launch.Target;
import io.github.hotdeploy.testapps.launch.TestApp;
import io.github.hotdeploy.testapps.launch.TestApps;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The servers the harness runs: those of test-apps' one table ({@link TestApps}) that serve HTTP
 * on start_server's one TCP port, launched as they are (no JVM options), with the ports they bind
 * themselves picked free for the scenario and WireMock's stubs written for the run's checked
 * requests.
 */
final class Apps {

    static final Map<String, TestApp> ALL = new LinkedHashMap<>();

    static {
        TestApps.ALL.values().stream().filter(TestApp::harness).forEach(app -> ALL.put(app.name(), app));
    }

    private Apps() {
    }

    /** The checked requests of a run: GET /bytes of these sizes, POST /echo of these, each in seeds variants. */
    record Checked(List<Integer> sizes, List<Integer> postSizes, int seeds) {
    }

    static TestApp get(String name) {
        TestApp app = ALL.get(name);
        if (app == null) {
            throw new IllegalArgumentException("unknown server '" + name + "'; known: " + String.join(",", ALL.keySet()));
        }
        return app;
    }

    /**
     * Prepares the app in {@code dir} (the scenario's directory) and says how to start a generation
     * on {@code port} with the {@code java} given (an executable path, or {@code java} for the one
     * on the PATH). Every generation of the scenario runs the same launch.
     */
    static Launch prepare(TestApp app, Path repo, String java, int port, Path dir) throws IOException {
        return prepare(app, repo, java, port, dir, new Checked(List.of(), List.of(), 1));
    }

    /** The same, telling WireMock the checked requests it will get (its stubs); the others ignore them. */
    static Launch prepare(TestApp app, Path repo, String java, int port, Path dir, Checked checked) throws IOException {
        List<Integer> own = new ArrayList<>();
        for (int i = 0; i < app.ownPorts(); i++) {
            own.add(RestartHarness.freePort());
        }
        Launch launch = app.launch(new Target(repo, Jvm.of(java), port, own, dir));
        if (app instanceof TestApps.WireMockApp) {
            WireMockStubs.write(TestApps.WireMockApp.root(dir), checked);
        }
        return launch;
    }
}
