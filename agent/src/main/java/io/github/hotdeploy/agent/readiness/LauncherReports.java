package io.github.hotdeploy.agent.readiness;

import io.github.hotdeploy.agent.Log;
import io.github.hotdeploy.agent.adoption.Adopter;
import io.github.hotdeploy.agent.adoption.InheritedListener;
import io.github.hotdeploy.protocol.Readiness;
import io.github.hotdeploy.protocol.ServerStarterPort;
import java.io.FileDescriptor;
import java.net.InetAddress;

/**
 * What the agent tells start_server besides READY=1, over the same notify socket: that this JVM
 * runs the agent (so that start_server waits for its READY=1 even when it could not know the
 * program starts a JVM: a wrapper, a script), each socket it adopted, and each TCP port the
 * application bound itself (so that start_server can hold it across generations). Best effort:
 * a report that cannot be sent costs one warning, never the application's bind.
 */
public final class LauncherReports implements Adopter.Listener, Adopter.OwnBinds {

    /** An application binding hundreds of ports of its own is not what this is for. */
    private static final int MAX_OWN_BINDS = 64;

    private final NotifySocket notify;
    private final long pid;
    private int ownBinds;
    private boolean warned;

    public LauncherReports(NotifySocket notify) {
        this.notify = notify;
        this.pid = ReadinessTracker.pid();
    }

    public void agentStarted() {
        send(Readiness.agentMessage(pid));
    }

    @Override
    public void adopted(InheritedListener listener, FileDescriptor appFd, int appFdNumber) {
        send(Readiness.adoptedMessage(listener.key(), pid));
    }

    @Override
    public void bound(int fdNumber, InetAddress address, int port) {
        synchronized (this) {
            if (++ownBinds > MAX_OWN_BINDS) {
                return;
            }
        }
        send(Readiness.boundMessage(fdNumber, ServerStarterPort.key(address, port), pid));
    }

    /** The application started process {@code child} running {@code program}; see {@link StartedProcesses}. */
    public void started(long child, String program) {
        send(Readiness.startedMessage(child, program, pid));
    }

    private void send(String message) {
        try {
            notify.send(message);
        } catch (Exception e) {
            synchronized (this) {
                if (warned) {
                    return;
                }
                warned = true;
            }
            Log.warn("could not report to start_server's notify socket " + notify + " (" + Log.describe(e) + ")");
        }
    }
}
