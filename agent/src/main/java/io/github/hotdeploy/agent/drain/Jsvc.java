package io.github.hotdeploy.agent.drain;

import io.github.hotdeploy.agent.bootstrap.JdkInternals;
import java.io.File;
import java.io.IOException;

/**
 * Apache Commons Daemon's jsvc creates the JVM through JNI and then handles SIGTERM itself: its
 * native handler only sets a flag, and its main thread then calls the daemon's stop() and
 * destroy() through commons-daemon's {@code DaemonLoader} and ends with System.exit. A TERM
 * handler of ours would race jsvc's (they replace each other in whatever order their threads
 * run), so under jsvc the drain runs on entry of {@code DaemonLoader.stop()} instead: on jsvc's
 * own thread, before the application's stop, which then runs as without the agent.
 */
public final class Jsvc {

    private Jsvc() {
    }

    public static boolean runsThisJvm() {
        try {
            return new File("/proc/self/exe").getCanonicalFile().getName().equals("jsvc");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Makes jsvc's call of the daemon's stop() drain first (the hook is HookTable's). */
    public static void drainBeforeStop(JdkInternals jdk, final Drain drain) {
        jdk.setDaemonStop(new Runnable() {
            @Override
            public void run() {
                drain.drain();
            }
        });
    }
}
