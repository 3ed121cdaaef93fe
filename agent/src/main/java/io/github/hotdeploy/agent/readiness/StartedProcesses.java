package io.github.hotdeploy.agent.readiness;

import io.github.hotdeploy.agent.adoption.Adopter;
import io.github.hotdeploy.agent.adoption.InheritedListener;
import io.github.hotdeploy.agent.bootstrap.JdkInternals;
import java.io.FileDescriptor;
import java.util.function.Consumer;

/**
 * Tells start_server of each process the application starts before this JVM took any of the
 * sockets. Such a process inherits none of them (the JDK closes every fd above 2 in a process it
 * starts): when it is the server's JVM (Jetty's {@code start.jar --exec}, a launcher JVM that
 * starts the real one), its bind fails with "Address already in use", and start_server, hearing
 * of it, names that process as the cause instead of retrying in silence. Off at the first
 * adoption: a process started after that changes nothing for the sockets.
 */
public final class StartedProcesses implements Consumer<Object[]>, Adopter.Listener {

    /** A few are enough to name the culprit; an application starting hundreds is not the case. */
    private static final int MAX_REPORTS = 8;

    private final JdkInternals jdk;
    private final LauncherReports reports;
    private int reported;

    public StartedProcesses(JdkInternals jdk, LauncherReports reports) {
        this.jdk = jdk;
        this.reports = reports;
    }

    /** {@code [Integer pid, byte[] program]} from the bridge, the program NUL-terminated. */
    @Override
    public void accept(Object[] started) {
        synchronized (this) {
            if (++reported > MAX_REPORTS) {
                return;
            }
        }
        reports.started((Integer) started[0], program((byte[]) started[1]));
    }

    @Override
    public void adopted(InheritedListener listener, FileDescriptor appFd, int appFdNumber) {
        if (!listener.isExtra()) {
            jdk.setProcessStarts(null);
        }
    }

    static String program(byte[] cString) {
        int length = 0;
        while (length < cString.length && cString[length] != 0) {
            length++;
        }
        return new String(cString, 0, length, java.nio.charset.Charset.defaultCharset());
    }
}
