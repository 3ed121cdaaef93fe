import java.lang.instrument.Instrumentation;

/**
 * A java agent that does nothing: no transformer, no retransform capability (see MANIFEST.MF).
 * For the throughput diagnosis only: what does a JVM pay for running with a -javaagent at all?
 * Build: see ../README.md.
 */
public class Noop {
    public static void premain(String args, Instrumentation inst) {
    }
}
