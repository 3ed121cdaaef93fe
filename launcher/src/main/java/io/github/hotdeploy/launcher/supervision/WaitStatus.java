package io.github.hotdeploy.launcher.supervision;

import io.github.hotdeploy.launcher.os.Signals;

/** A raw wait status (as Perl's {@code $?}) in words, for the failure reports. */
public final class WaitStatus {
    private WaitStatus() {
    }

    /** {@code exited with status 1}, {@code was killed by signal 9 (KILL)}... */
    public static String describe(int raw) {
        if (raw < 0) {
            return "exited (status unknown: it was reaped elsewhere)";
        }
        int signal = raw & 0x7f;
        if (signal == 0) {
            return "exited with status " + ((raw >> 8) & 0xff);
        }
        String name = Signals.name(signal);
        return "was killed by signal " + signal + (name.equals(Integer.toString(signal)) ? "" : " (" + name + ")")
                + ((raw & 0x80) != 0 ? ", core dumped" : "");
    }

    /**
     * True if the process died of a signal a crashing program dies of (a JVM's error handler
     * aborts), not one that start_server or an operator sends to end it.
     */
    public static boolean crashed(int raw) {
        int signal = raw & 0x7f;
        return raw >= 0 && (signal == Signals.SEGV || signal == Signals.BUS || signal == Signals.ABRT
                || signal == Signals.ILL || signal == Signals.FPE);
    }

    /** True if the process was ended by SIGKILL. */
    public static boolean killed(int raw) {
        return raw >= 0 && (raw & 0x7f) == Signals.KILL;
    }
}
