package io.github.hotdeploy.agent.instrument;

import java.lang.instrument.Instrumentation;
import net.bytebuddy.jar.asm.ByteVector;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.Type;

/**
 * Loads and verifies the transformer's classes (Byte Buddy's ASM, ~30 classes read from the agent
 * jar) and the agent's own set-up classes, loads those of the bind path, and has the JVM name every
 * class loaded so far, on a second thread while premain's main thread installs the bridge and
 * checks the inherited fds. Measured on this project's machine, that loading is 15-25 ms of the main thread's
 * start-up path; the JVM is otherwise single-threaded at that point, so the second core is free.
 *
 * <p>Nothing depends on it: the main thread loads whatever it needs itself, waiting on a class the
 * preload is loading at that moment (the JVM serialises loading per class). Any failure is left
 * to surface on the main thread, where the agent's fail-safe handling already is.
 */
public final class TransformerPreload implements Runnable {

    private static final String[] SET_UP = {
        "io.github.hotdeploy.agent.instrument.Hook$Group",
        "io.github.hotdeploy.agent.instrument.Hook$Value",
        "io.github.hotdeploy.agent.adoption.InheritedListener",
        "io.github.hotdeploy.agent.adoption.Adopter",
        "io.github.hotdeploy.agent.readiness.NotifySocket",
        "io.github.hotdeploy.agent.readiness.ReadinessTracker",
        "io.github.hotdeploy.agent.drain.AdoptedListeners",
    };

    private static final String[] BIND_PATH = {
        "io.github.hotdeploy.agent.adoption.BindMatcher",
        "io.github.hotdeploy.agent.adoption.BindMatcher$Match",
        "io.github.hotdeploy.agent.adoption.FdFlags",
        "io.github.hotdeploy.agent.readiness.ReadinessTracker$Adoption",
        "io.github.hotdeploy.agent.drain.AdoptedListeners$Adopted",
    };

    private final ClassLoader loader;
    private final Instrumentation inst;

    private TransformerPreload(ClassLoader loader, Instrumentation inst) {
        this.loader = loader;
        this.inst = inst;
    }

    public static void start(Instrumentation inst) {
        try {
            Thread thread = new Thread(new TransformerPreload(TransformerPreload.class.getClassLoader(), inst),
                    "start_server-agent-preload");
            thread.setDaemon(true);
            thread.start();
        } catch (Throwable ignored) {
            // an optimisation only: the main thread loads them itself
        }
    }

    @Override
    public void run() {
        try {
            // Initialising links and verifies; ASM's static initialisers have no side effects.
            // The writers' verification pulls in the rest of what a transformation touches.
            initialise(ClassReader.class);
            initialise(ClassWriter.class);
            // package-private in ASM: named relative to a public neighbour, wherever shading put it
            String asm = ClassWriter.class.getName().substring(0, ClassWriter.class.getName().lastIndexOf('.') + 1);
            for (String name : new String[] {"MethodWriter", "SymbolTable", "Context", "Handler", "Attribute", "Handle"}) {
                Class.forName(asm + name, true, loader);
            }
            initialise(ByteVector.class);
            initialise(Label.class);
            initialise(Type.class);
            initialise(EntryHookAdapter.class);
            initialise(HookTransformer.class);
            initialise(HookTable.class);
            initialise(Hook.class);
            for (String name : SET_UP) {
                Class.forName(name, true, loader); // no static state beyond constants
            }
            // What the app's bind runs through, loaded (not initialised) before the app gets there.
            for (String name : BIND_PATH) {
                Class.forName(name, false, loader);
            }
            // HookTransformer.install asks every loaded class its name: the JVM makes a class's
            // name on the first getName() and keeps it, 7,600 of them in a boot from an AOT cache.
            for (Class<?> type : inst.getAllLoadedClasses()) {
                type.getName();
            }
        } catch (Throwable ignored) {
            // see the class comment
        }
    }

    private void initialise(Class<?> type) throws ClassNotFoundException {
        Class.forName(type.getName(), true, loader);
    }
}
