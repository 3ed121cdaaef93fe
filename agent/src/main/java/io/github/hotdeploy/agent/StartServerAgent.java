package io.github.hotdeploy.agent;

import io.github.hotdeploy.agent.adoption.Adopter;
import io.github.hotdeploy.agent.adoption.InheritedListener;
import io.github.hotdeploy.agent.adoption.InheritedListeners;
import io.github.hotdeploy.agent.bootstrap.BridgeInstaller;
import io.github.hotdeploy.agent.bootstrap.JdkInternals;
import io.github.hotdeploy.agent.drain.AdoptedListeners;
import io.github.hotdeploy.agent.drain.DrainTrigger;
import io.github.hotdeploy.agent.instrument.HookTransformer;
import io.github.hotdeploy.agent.instrument.TransformerPreload;
import io.github.hotdeploy.agent.readiness.LauncherReports;
import io.github.hotdeploy.agent.readiness.NotifySocket;
import io.github.hotdeploy.agent.readiness.ReadinessTracker;
import io.github.hotdeploy.agent.readiness.StartedProcesses;
import io.github.hotdeploy.protocol.InheritedSocket;
import io.github.hotdeploy.protocol.ServerStarterPort;
import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.function.Consumer;

/**
 * Start-up sequence. Each step either succeeds or leaves the JVM exactly as without the agent,
 * with one warning naming the problem:
 *
 * <ol>
 *   <li>parse SERVER_STARTER_PORT and check each fd is the listening socket it claims to be;</li>
 *   <li>define the bridge in java.base and hook the bind (and, with a notify fd, accept) paths;</li>
 *   <li>prove the Net.bind hook runs by calling Net.bind with a probe fd the agent recognises;</li>
 *   <li>put the drain in front of SIGTERM (unless {@code drainTimeoutMs=0}), on a thread of its
 *       own so that premain does not wait for it; if that fails, one warning and SIGTERM keeps
 *       the JVM's normal behaviour.</li>
 * </ol>
 */
public final class StartServerAgent {

    private StartServerAgent() {
    }

    public static void start(String args, final Instrumentation inst) {
        AgentOptions options = AgentOptions.parse(args);
        Log.setQuiet(options.quiet());
        if (options.off()) {
            return;
        }
        List<InheritedSocket> entries;
        try {
            entries = ServerStarterPort.parse(System.getenv(ServerStarterPort.ENV));
        } catch (IllegalArgumentException e) {
            Log.warn("ignoring " + ServerStarterPort.ENV + " (" + e.getMessage() + "); the application binds its own sockets");
            return;
        }
        if (entries.isEmpty()) {
            return;
        }
        List<InheritedSocket> extras;
        try {
            extras = ServerStarterPort.parse(System.getenv(ServerStarterPort.EXTRA_ENV));
        } catch (IllegalArgumentException e) {
            Log.warn("ignoring " + ServerStarterPort.EXTRA_ENV + " (" + e.getMessage() + ")");
            extras = java.util.Collections.emptyList();
        }
        TransformerPreload.start(inst);
        final JdkInternals jdk;
        try {
            jdk = BridgeInstaller.install(inst);
        } catch (Throwable t) {
            Log.warn("cannot reach the JDK's socket internals (" + Log.describe(t)
                    + "); the application binds its own sockets");
            return;
        }
        if (jdk == null) {
            Log.info("another copy of the agent is already active in this JVM; this one stands by");
            return;
        }
        InheritedListeners inherited = InheritedListeners.validate(entries, extras, jdk);
        if (inherited.noneInherited()) {
            // Typically a JVM the application started: it inherits the variables, not the fds.
            Log.info(notInherited());
            return;
        }
        if (!inherited.problems().isEmpty()) {
            Log.warn("ignoring " + ServerStarterPort.ENV + " entries that are not what start_server would pass: "
                    + String.join("; ", inherited.problems()) + "; those binds proceed normally");
        }
        if (inherited.listeners().isEmpty()) {
            return;
        }
        NotifySocket notify = null;
        try {
            notify = NotifySocket.fromEnvironment(jdk);
        } catch (IOException e) {
            Log.warn(e.getMessage() + "; start_server will not hear that this generation is ready");
        }
        final boolean drain = options.drainTimeoutMs() > 0;
        final boolean jsvc = drain && DrainTrigger.insideJsvc();
        final AdoptedListeners adopted = drain ? new AdoptedListeners(jdk) : null;
        final Consumer<ClassLoader> exportBridge = new Consumer<ClassLoader>() {
            @Override
            public void accept(ClassLoader loader) {
                exportBridgeTo(inst, loader);
            }
        };
        final HookTransformer transformer = new HookTransformer(notify != null, drain, jsvc, exportBridge);
        // While a transformer is registered the JVM hands it every class it loads (~30-40 us a
        // class, measured): once nothing is left to hook, it goes (see docs/agent.md, Costs, for
        // why not before READY). Hooks already in place stay.
        // Only the sockets start_server serves decide readiness; held extras are adopted as they come.
        List<InheritedListener> served = inherited.served();
        LauncherReports reports = notify == null ? null : new LauncherReports(notify);
        if (reports != null) {
            reports.agentStarted();
        }
        Adopter.Listener tracker = notify == null ? untilAllAdopted(served.size(), inst, transformer)
                : new ReadinessTracker(served, notify, options.partialReadyDelayMs(), jdk,
                        new ReadinessTracker.Watcher() {
                            @Override
                            public void watchAccepts(Consumer<Object[]> watcher) {
                                jdk.setAccepts(watcher);
                            }

                            @Override
                            public void allAdoptedAndReady() {
                                inst.removeTransformer(transformer);
                            }
                        });
        StartedProcesses started = null;
        if (reports != null) {
            started = new StartedProcesses(jdk, reports);
            jdk.setProcessStarts(started);
        }
        Adopter adopter = new Adopter(inherited.listeners(), jdk,
                both(both(both(tracker, reports), adopted), started), reports);
        adopter.waitForBusyPorts(busyPorts(tracker, options.drainTimeoutMs()));
        try {
            jdk.setBinds(adopter);
            if (drain) {
                jdk.setAcceptInterestFilter(adopted);
                jdk.trackSelectors(true);
                // Loaded now so that install() hooks them even if the transformer is removed
                // (nothing left to bind) before the app opens its first selector.
                Class.forName("sun.nio.ch.SelectorImpl", false, null);
                Class.forName("sun.nio.ch.SelectionKeyImpl", false, null);
            }
            transformer.install(inst);
            proveBindHook(jdk, adopter);
        } catch (Throwable t) {
            standDown(inst, jdk, transformer, Log.describe(t));
            return;
        }
        if (!transformer.failed().isEmpty()) {
            Log.warn("some classes could not be instrumented, their binds proceed normally: " + transformer.failed());
        }
        if (drain) {
            // Off the start-up path (the signal set-up's class loading, paid on every restart):
            // nothing needs it before the generation serves, and a stop signal that came earlier
            // still gets the JVM's own handling. The drain's own classes load at the stop only.
            final long timeoutMs = options.drainTimeoutMs();
            final long graceMs = options.drainGraceMs();
            final List<String> signals = options.drainSignals();
            Thread setUp = new Thread(new Runnable() {
                @Override
                public void run() {
                    installDrain(new DrainTrigger(jdk, adopted, timeoutMs, graceMs, inst, exportBridge), signals,
                            jdk, jsvc);
                }
            }, "start_server-agent-drain-setup");
            setUp.setDaemon(true);
            setUp.start();
        }
    }

    /**
     * The line of a JVM that did not inherit the sockets, naming the JVM that started it when
     * that is one (Jetty's start.jar --exec): a server here cannot bind start_server's ports.
     */
    private static String notInherited() {
        String self = readLink("/proc/self");
        self = self == null ? "?" : self.substring(self.lastIndexOf('/') + 1);
        String parent = null;
        try {
            String stat = new String(java.nio.file.Files.readAllBytes(new java.io.File("/proc/self/stat").toPath()),
                    "ISO-8859-1");
            parent = stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1];
        } catch (IOException | RuntimeException e) {
            // then the general line
        }
        String parentExe = parent == null ? null : readLink("/proc/" + parent + "/exe");
        if (parentExe == null || !parentExe.endsWith("/java")) {
            return "this JVM did not inherit the sockets in " + ServerStarterPort.ENV
                    + " (a process the application started?); it binds its own";
        }
        return "this JVM (pid " + self + ") was started by JVM " + parent + " and did not inherit the sockets in "
                + ServerStarterPort.ENV + " (a process a JVM starts gets no fd above 2); it binds its own, which fails"
                + " while start_server holds the port: if this JVM is the server, start it directly"
                + " (see docs/launcher.md#which-jvms-get-the-agent)";
    }

    private static String readLink(String path) {
        try {
            return new java.io.File(path).getCanonicalPath();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void installDrain(DrainTrigger trigger, List<String> otherSignals, JdkInternals jdk,
            boolean jsvc) {
        try {
            if (jsvc) {
                trigger.beforeDaemonStop();
                // jsvc calls stop() on TERM, INT and HUP (its reload): every one of them drains first.
                Log.info("this JVM runs inside jsvc, which handles SIGTERM itself: the drain runs when jsvc calls the"
                        + " daemon's stop(), before the application's");
                return;
            }
            List<String> refused = trigger.onStopSignals(otherSignals);
            if (!refused.isEmpty()) {
                Log.warn("no drain on " + String.join(", ", refused) + "; SIGTERM drains, those act as without the agent");
            }
        } catch (Throwable t) {
            try {
                jdk.setAcceptInterestFilter(null);
                jdk.trackSelectors(false);
            } catch (Throwable ignored) {
                // without a filter the interest hook changes nothing
            }
            Log.warn("no drain on SIGTERM (" + Log.describe(t) + "); it stops the application as without the agent");
        }
    }

    private static Adopter.Listener both(final Adopter.Listener first, final Adopter.Listener second) {
        if (second == null) {
            return first;
        }
        return new Adopter.Listener() {
            @Override
            public void adopted(io.github.hotdeploy.agent.adoption.InheritedListener listener, FileDescriptor appFd,
                    int appFdNumber) {
                first.adopted(listener, appFd, appFdNumber);
                second.adopted(listener, appFd, appFdNumber);
            }
        };
    }

    /**
     * When the application's own bind may wait for a port the old generation still holds: after
     * READY (start_server stops the old one then), or always without a notify fd (the Perl
     * original stops it after --interval). At most the old one's drain plus 30 s for its shutdown.
     */
    private static Adopter.BusyPorts busyPorts(final Adopter.Listener tracker, final long drainTimeoutMs) {
        return new Adopter.BusyPorts() {
            @Override
            public boolean mayWait() {
                return !(tracker instanceof ReadinessTracker) || ((ReadinessTracker) tracker).sent();
            }

            @Override
            public long maxWaitMs() {
                return Math.max(drainTimeoutMs, io.github.hotdeploy.protocol.AgentArguments.DEFAULT_DRAIN_TIMEOUT_MS) + 30000L;
            }
        };
    }

    private static void proveBindHook(JdkInternals jdk, Adopter adopter) throws IOException {
        FileDescriptor probe = new FileDescriptor(); // fd -1: a real bind of it could only fail
        adopter.expectProbe(probe);
        try {
            jdk.probeNetBind(probe);
        } catch (IOException expectedWithoutHook) {
            // falls through to the check below
        }
        adopter.expectProbe(null);
        if (!adopter.probeSeen()) {
            throw new IllegalStateException("the hook in sun.nio.ch.Net.bind did not run");
        }
    }

    private static void standDown(Instrumentation inst, JdkInternals jdk, HookTransformer transformer,
            String why) {
        try {
            jdk.setBinds(null);
            jdk.setAccepts(null);
            jdk.setProcessStarts(null);
            jdk.setAcceptInterestFilter(null);
            jdk.trackSelectors(false);
        } catch (Throwable ignored) {
            // nothing else to undo: without a decider every hook is a no-op
        }
        inst.removeTransformer(transformer);
        Log.warn("instrumentation did not take effect (" + why + "); the application binds its own sockets."
                + " Is another agent rewriting sun.nio.ch.Net, or is -Xshare/-Xverify unusual?");
    }

    /**
     * Without SERVER_STARTER_NOTIFY_FD (e.g. the Perl original) there is nobody to tell; the only
     * thing to do is to drop the transformer once every inherited listener is adopted.
     */
    private static Adopter.Listener untilAllAdopted(final int expected, final Instrumentation inst,
            final HookTransformer transformer) {
        final java.util.Set<String> adopted = java.util.concurrent.ConcurrentHashMap.newKeySet();
        return new Adopter.Listener() {
            @Override
            public void adopted(InheritedListener listener, FileDescriptor appFd, int appFdNumber) {
                if (!listener.isExtra() && adopted.add(listener.key()) && adopted.size() == expected) {
                    inst.removeTransformer(transformer);
                }
            }
        };
    }

    /**
     * Lets a Netty socket class call the bridge: sun.nio.ch is exported (not opened) to the
     * unnamed module of the loader that defines it, as --add-exports would.
     */
    private static void exportBridgeTo(Instrumentation inst, ClassLoader loader) {
        if (!isModular()) {
            return;
        }
        try {
            BridgeInstaller.moduleAccess().exportSunNioChTo(inst, loader);
        } catch (Throwable t) {
            Log.warn("cannot let Netty's native transport reach the agent (" + Log.describe(t) + ")");
        }
    }

    private static boolean isModular() {
        return !System.getProperty("java.specification.version", "1.8").startsWith("1.");
    }
}
