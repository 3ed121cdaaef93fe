package io.github.hotdeploy.agent;

import java.lang.instrument.Instrumentation;

/**
 * Entry point named in the manifest ({@code Premain-Class}, {@code Agent-Class}). Stays trivial
 * so that a JVM not started by start_server (JAVA_TOOL_OPTIONS reaches every JVM, build tools and
 * forked helpers included) pays for loading this one class and nothing else.
 *
 * <p>The agent runs in the application class loader. An isolated class loader would keep the
 * {@code sun.nio.ch} opening (see BridgeInstaller) away from the application's classes, but costs
 * 6-11 ms of start-up on every restart (URLClassLoader's classes are not in the JDK's CDS
 * archive); the opening is what {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED} does, a flag
 * many servers already run with. See docs/agent.md.
 */
public final class AgentMain {

    private AgentMain() {
    }

    public static void premain(String args, Instrumentation inst) {
        start(args, inst);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst);
    }

    private static void start(String args, Instrumentation inst) {
        if (System.getenv("SERVER_STARTER_PORT") == null) {
            return;
        }
        try {
            StartServerAgent.start(args, inst);
        } catch (Throwable t) {
            // Never stop the application: without the agent it still binds normally.
            Log.warn("could not start (" + Log.describe(t) + "); the application binds its own sockets");
        }
    }
}
