package io.github.hotdeploy.agent.bootstrap;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.function.Function;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;

/**
 * Puts {@code sun.nio.ch.StartServerAgentBridge} into java.base, where instrumented JDK methods
 * can call it, and gives the agent the access it needs to the JDK's socket internals.
 *
 * <p>JDK 9+: {@code Instrumentation.redefineModule} opens {@code sun.nio.ch} to the agent's own
 * unnamed module only, then {@code Lookup.defineClass} defines the bridge next
 * to {@code sun.nio.ch.Net}. No boot class path append: that would disable CDS for application
 * classes ("Sharing is only supported for boot loader classes") and cost start-up time.
 * JDK 8: no modules and no {@code Lookup.defineClass}, so a temporary jar is appended to the boot
 * class path, which is harmless there.
 *
 * <p>Reflection on the Java 9 APIs keeps the agent's bytecode at Java 8.
 */
public final class BridgeInstaller {

    public static final String BRIDGE_CLASS = "sun.nio.ch.StartServerAgentBridge";
    private static final String BRIDGE_RESOURCE = "StartServerAgentBridge.bin";

    private static volatile ModuleAccess registered;

    private BridgeInstaller() {
    }

    /**
     * Defines and initialises the bridge and returns access to the JDK internals through it.
     *
     * @return null when a bridge already exists: a second copy of the agent in the same JVM (e.g.
     *     both -javaagent and JAVA_TOOL_OPTIONS name it) must stay out of the way
     */
    @SuppressWarnings("unchecked")
    public static JdkInternals install(Instrumentation inst) throws Exception {
        if (bridgeAlreadyDefined()) {
            return null;
        }
        byte[] bytes = readBridgeBytes();
        Class<?> bridge;
        if (isModular()) {
            ModuleAccess modules = moduleAccess();
            modules.openSunNioChToAgent(inst);
            bridge = modules.defineInSunNioCh(Class.forName("sun.nio.ch.Net", false, null), bytes);
        } else {
            bridge = appendToBootClassPath(inst, bytes);
        }
        // The bridge's static initialiser takes the slot out of the system properties and fills
        // it: no reflective call into the bridge, and the key exists only for this moment.
        Object[] slot = new Object[1];
        System.getProperties().put(BridgeContract.HANDOFF, slot);
        try {
            Class.forName(bridge.getName(), true, null);
        } finally {
            System.getProperties().remove(BridgeContract.HANDOFF);
        }
        if (!(slot[0] instanceof Function)) {
            throw new IllegalStateException("the bridge did not hand over its operations");
        }
        return new JdkInternals((Function<Object[], Object>) slot[0]);
    }

    /** Called by {@code Jdk9ModuleAccess}'s static initialiser. */
    static void register(ModuleAccess access) {
        registered = access;
    }

    /** The JDK 9+ module operations, or an exception on JDK 8. */
    public static ModuleAccess moduleAccess() throws ClassNotFoundException {
        if (registered == null) {
            Class.forName(BridgeInstaller.class.getPackage().getName() + ".Jdk9ModuleAccess", true,
                    BridgeInstaller.class.getClassLoader());
        }
        if (registered == null) {
            throw new IllegalStateException("Jdk9ModuleAccess did not register");
        }
        return registered;
    }

    private static boolean bridgeAlreadyDefined() {
        try {
            Class.forName(BRIDGE_CLASS, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    static boolean isModular() {
        return !System.getProperty("java.specification.version", "1.8").startsWith("1.");
    }

    // Straight from the jar file: a class loader resource goes through URL connection classes
    // that are not in the JDK's CDS archive and cost start-up time.
    private static byte[] readBridgeBytes() throws IOException {
        String entry = BridgeInstaller.class.getPackage().getName().replace('.', '/') + "/" + BRIDGE_RESOURCE;
        JarFile jar = new JarFile(agentJar());
        try {
            ZipEntry zipEntry = jar.getEntry(entry);
            if (zipEntry == null) {
                throw new IOException(entry + " is missing from " + jar.getName());
            }
            InputStream in = jar.getInputStream(zipEntry);
            ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } finally {
            jar.close();
        }
    }

    private static File agentJar() throws IOException {
        java.security.CodeSource source = BridgeInstaller.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IOException("cannot tell which jar the agent was loaded from");
        }
        try {
            return new File(source.getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException("odd agent location " + source.getLocation(), e);
        }
    }

    private static Class<?> appendToBootClassPath(Instrumentation inst, byte[] bytes) throws Exception {
        File jar = File.createTempFile("start_server-agent-bridge", ".jar");
        try {
            JarOutputStream out = new JarOutputStream(new FileOutputStream(jar));
            try {
                out.putNextEntry(new ZipEntry(BRIDGE_CLASS.replace('.', '/') + ".class"));
                out.write(bytes);
                out.closeEntry();
            } finally {
                out.close();
            }
            inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
            return Class.forName(BRIDGE_CLASS, false, null);
        } finally {
            // The boot loader keeps the jar open; on Unix the name can go right away.
            jar.delete();
        }
    }
}
