package io.github.hotdeploy.agent;

import java.lang.instrument.Instrumentation;
import java.net.URL;
import java.net.URLClassLoader;
import java.security.CodeSource;

/**
 * Entry point named in the manifest ({@code Premain-Class}, {@code Agent-Class}).
 *
 * <p>This class is loaded by the application class loader, so it stays trivial: it starts the
 * real agent in a class loader of its own over the same jar. The agent asks java.base to open
 * {@code sun.nio.ch} and {@code java.net} to its module; inside its own loader that is a private
 * unnamed module, so the application's classes do not gain deep access to JDK internals (which
 * would change code paths in libraries that probe for it, such as Netty).
 */
public final class AgentMain {

    private static final String AGENT_CLASS = "io.github.hotdeploy.agent.StartServerAgent";

    private AgentMain() {
    }

    public static void premain(String args, Instrumentation inst) {
        start(args, inst);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst);
    }

    private static void start(String args, Instrumentation inst) {
        // Cheapest possible exit for the common case of a JVM not started by start_server
        // (JAVA_TOOL_OPTIONS reaches every JVM, including build tools and forked helpers).
        if (System.getenv("SERVER_STARTER_PORT") == null) {
            return;
        }
        try {
            ClassLoader loader = isolatedLoader();
            Class<?> agent = Class.forName(AGENT_CLASS, true, loader);
            agent.getMethod("start", String.class, Instrumentation.class).invoke(null, args, inst);
        } catch (Throwable t) {
            // Never stop the application: without the agent it still binds normally.
            Log.warn("could not start (" + Log.describe(t) + "); the application binds its own sockets");
        }
    }

    private static ClassLoader isolatedLoader() {
        CodeSource source = AgentMain.class.getProtectionDomain().getCodeSource();
        URL jar = source == null ? null : source.getLocation();
        if (jar == null) {
            return AgentMain.class.getClassLoader();
        }
        // Parent = bootstrap: the agent needs java.base and java.instrument only.
        return new URLClassLoader(new URL[] {jar}, null);
    }
}
