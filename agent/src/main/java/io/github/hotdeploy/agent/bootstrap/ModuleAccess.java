package io.github.hotdeploy.agent.bootstrap;

import java.lang.instrument.Instrumentation;

/** What the agent needs from the module system (JDK 9+); see {@code Jdk9ModuleAccess}. */
public interface ModuleAccess {

    /** Opens java.base/sun.nio.ch to the agent's module, for {@code privateLookupIn}. */
    void openSunNioChToAgent(Instrumentation inst);

    /** Defines a class in the package of {@code anchor} (java.base, bootstrap loader). */
    Class<?> defineInSunNioCh(Class<?> anchor, byte[] bytes) throws IllegalAccessException;

    /** Lets classes of {@code loader}'s unnamed module call public classes of sun.nio.ch. */
    void exportSunNioChTo(Instrumentation inst, ClassLoader loader);
}
