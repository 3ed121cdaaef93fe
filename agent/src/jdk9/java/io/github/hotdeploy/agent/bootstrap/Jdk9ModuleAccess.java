package io.github.hotdeploy.agent.bootstrap;

import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandles;
import java.util.Collections;

/**
 * The JDK 9+ calls of the agent, made directly instead of by reflection: on JDK 18+ each
 * reflective call site generates method-handle classes, and these four cost ~40 ms of start-up
 * that way. Compiled against the build JDK with -source/-target 8 (Java 8 bytecode that names
 * Java 9 methods), so it must only ever be loaded on JDK 9+; {@link BridgeInstaller} makes sure.
 * Registers itself from its static initialiser: no reflective constructor call either.
 */
final class Jdk9ModuleAccess implements ModuleAccess {

    static {
        BridgeInstaller.register(new Jdk9ModuleAccess());
    }

    private Jdk9ModuleAccess() {
    }

    @Override
    public void openSunNioChToAgent(Instrumentation inst) {
        Module javaBase = Object.class.getModule();
        inst.redefineModule(javaBase, Collections.emptySet(), Collections.emptyMap(),
                Collections.singletonMap("sun.nio.ch", Collections.singleton(Jdk9ModuleAccess.class.getModule())),
                Collections.emptySet(), Collections.emptyMap());
    }

    @Override
    public Class<?> defineInSunNioCh(Class<?> anchor, byte[] bytes) throws IllegalAccessException {
        return MethodHandles.privateLookupIn(anchor, MethodHandles.lookup()).defineClass(bytes);
    }

    @Override
    public void exportSunNioChTo(Instrumentation inst, ClassLoader loader) {
        inst.redefineModule(Object.class.getModule(), Collections.emptySet(),
                Collections.singletonMap("sun.nio.ch", Collections.singleton(loader.getUnnamedModule())),
                Collections.emptyMap(), Collections.emptySet(), Collections.emptyMap());
    }
}
