package io.github.hotdeploy.demo;

import java.util.Map;

/**
 * Where the demo server listens and how it stops, from the command line and the environment.
 *
 * <p>Precedence: a command-line option, then the environment variable (only {@code PORT}), then
 * the default. Port 0 asks the kernel for a free port (tests use it).
 */
record DemoOptions(String host, int port, int threads, int stopDelaySeconds) {

    static final String USAGE = "usage: java -jar demo-app.jar [--host=ADDR (default 127.0.0.1)]"
            + " [--port=N (default $PORT, else 8080)] [--threads=N (default 32)]"
            + " [--stop-delay=SECONDS (default 1)]";

    DemoOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range 0-65535: " + port);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1: " + threads);
        }
        if (stopDelaySeconds < 0) {
            throw new IllegalArgumentException("--stop-delay must not be negative: " + stopDelaySeconds);
        }
    }

    static DemoOptions parse(String[] args, Map<String, String> env) {
        String host = "127.0.0.1";
        String envPort = env.get("PORT");
        int port = envPort == null || envPort.isBlank() ? 8080 : parseInt("PORT", envPort.trim());
        int threads = 32;
        int stopDelay = 1;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (!name.equals("--host") && !name.equals("--port") && !name.equals("--threads")
                    && !name.equals("--stop-delay")) {
                throw new IllegalArgumentException("unknown argument: " + arg);
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                value = args[++i];
            }
            switch (name) {
                case "--host" -> host = value;
                case "--port" -> port = parseInt(name, value);
                case "--threads" -> threads = parseInt(name, value);
                default -> stopDelay = parseInt(name, value);
            }
        }
        return new DemoOptions(host, port, threads, stopDelay);
    }

    private static int parseInt(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " expects a whole number, got: " + value);
        }
    }
}
