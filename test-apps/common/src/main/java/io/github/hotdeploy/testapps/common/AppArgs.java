package io.github.hotdeploy.testapps.common;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The command line every test app accepts: {@code --port N} (required for TCP apps), {@code --host H}
 * (default 127.0.0.1: these servers are for tests on this machine only), {@code --path P} for the
 * unix-socket app, plus app-specific switches such as {@code --protocol nio2}. Both
 * {@code --name value} and {@code --name=value} are accepted, as scripts write either.
 */
public final class AppArgs {

    private final String app;
    private final Map<String, String> options;

    private AppArgs(String app, Map<String, String> options) {
        this.app = app;
        this.options = options;
    }

    public static AppArgs parse(String app, String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw usage(app, "unexpected argument '" + arg + "'");
            }
            int eq = arg.indexOf('=');
            if (eq > 0) {
                options.put(arg.substring(2, eq), arg.substring(eq + 1));
            } else if (i + 1 < args.length) {
                options.put(arg.substring(2), args[++i]);
            } else {
                throw usage(app, "option " + arg + " needs a value");
            }
        }
        return new AppArgs(app, options);
    }

    public String host() {
        return options.getOrDefault("host", "127.0.0.1");
    }

    public int port() {
        return port("port");
    }

    /** A port option, {@code --NAME N}: required, 1-65535. */
    public int port(String name) {
        String value = options.get(name);
        if (value == null) {
            throw usage(app, "--" + name + " N is required");
        }
        try {
            int port = Integer.parseInt(value);
            if (port < 1 || port > 65535) {
                throw usage(app, "--" + name + " must be 1-65535, got " + value);
            }
            return port;
        } catch (NumberFormatException e) {
            throw usage(app, "--" + name + " must be a number, got '" + value + "'");
        }
    }

    public Path path() {
        String value = options.get("path");
        if (value == null) {
            throw usage(app, "--path FILE is required");
        }
        return Path.of(value);
    }

    /**
     * {@code --keystore FILE}: serve https with the PKCS12 key store at FILE instead of http (the
     * apps that support TLS say so); null when absent. The tests make a self-signed one with keytool.
     */
    public Path keystore() {
        String value = options.get("keystore");
        return value == null ? null : Path.of(value);
    }

    /** {@code --keystore-password P}, required with {@code --keystore}. */
    public String keystorePassword() {
        String value = options.get("keystore-password");
        if (value == null) {
            throw usage(app, "--keystore needs --keystore-password");
        }
        return value;
    }

    /** An app-specific switch, restricted to the values the app understands. */
    public String choice(String name, String... allowed) {
        String value = options.getOrDefault(name, allowed[0]);
        for (String candidate : allowed) {
            if (candidate.equals(value)) {
                return value;
            }
        }
        throw usage(app, "--" + name + " must be one of " + String.join(", ", allowed) + ", got '" + value + "'");
    }

    private static IllegalArgumentException usage(String app, String problem) {
        return new IllegalArgumentException(app + ": " + problem
                + " (usage in test-apps/README.md)");
    }
}
