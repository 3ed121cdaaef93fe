package io.github.hotdeploy.agent.drain;

import java.io.File;
import java.io.IOException;

/**
 * Whether this JVM lives inside Apache Commons Daemon's jsvc, which creates the JVM through JNI
 * and then installs its own SIGTERM handler (it calls the daemon's stop() and destroy() from
 * native code). The drain's TERM handler and jsvc's replace each other in whatever order their
 * threads run, so under jsvc the agent leaves TERM to jsvc instead of racing it.
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
}
