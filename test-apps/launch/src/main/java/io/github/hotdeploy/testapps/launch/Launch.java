package io.github.hotdeploy.testapps.launch;

import java.util.List;
import java.util.Map;

/** How to start one generation of a test app: the command line, what it adds to the environment, and whether it serves https. */
public record Launch(List<String> command, Map<String, String> env, boolean tls) {
    public Launch {
        command = List.copyOf(command);
        env = Map.copyOf(env);
    }

    public Launch(List<String> command, Map<String, String> env) {
        this(command, env, false);
    }
}
