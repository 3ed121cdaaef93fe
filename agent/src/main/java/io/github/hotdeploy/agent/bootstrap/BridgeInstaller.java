package io.github.hotdeploy.agent.bootstrap;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;

/**
 * Puts {@code sun.nio.ch.StartServerAgentBridge} into java.base, where instrumented JDK methods
 * can call it, and gives the agent the access it needs to the JDK's socket internals.
 *
 * <p>JDK 9+: {@code Instrumentation.redefineModule} opens {@code sun.nio.ch} and {@code java.net}
 * to the agent's own unnamed module only, then {@code Lookup.defineClass} defines the bridge next
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

    private final Class<?> bridge;
    private final JdkInternals internals;

    private BridgeInstaller(Class<?> bridge, JdkInternals internals) {
        this.bridge = bridge;
        this.internals = internals;
    }

    /**
     * @throws IllegalStateException when a bridge already exists: a second copy of the agent in
     *     the same JVM (e.g. both -javaagent and JAVA_TOOL_OPTIONS) must stay out of the way
     */
    public static BridgeInstaller install(Instrumentation inst) throws Exception {
        if (bridgeAlreadyDefined()) {
            throw new IllegalStateException("another copy of the agent is already active in this JVM");
        }
        byte[] bytes = readBridgeBytes();
        Class<?> bridge;
        if (isModular()) {
            openInternalsToAgent(inst);
            bridge = defineInJavaBase(bytes);
        } else {
            bridge = appendToBootClassPath(inst, bytes);
        }
        return new BridgeInstaller(bridge, new JdkInternals());
    }

    public JdkInternals internals() {
        return internals;
    }

    public void setBinds(Predicate<Object[]> binds) throws ReflectiveOperationException {
        Method method = bridge.getMethod("setBinds", Predicate.class);
        method.invoke(null, binds);
    }

    public void setAccepts(Consumer<Object[]> accepts) throws ReflectiveOperationException {
        Method method = bridge.getMethod("setAccepts", Consumer.class);
        method.invoke(null, accepts);
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

    private static byte[] readBridgeBytes() throws IOException {
        InputStream in = BridgeInstaller.class.getResourceAsStream(BRIDGE_RESOURCE);
        if (in == null) {
            throw new IOException(BRIDGE_RESOURCE + " is missing from the agent jar");
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } finally {
            in.close();
        }
    }

    private static void openInternalsToAgent(Instrumentation inst) throws ReflectiveOperationException {
        Method getModule = Class.class.getMethod("getModule");
        Object javaBase = getModule.invoke(Object.class);
        Object agentModule = getModule.invoke(BridgeInstaller.class);
        Class<?> moduleClass = javaBase.getClass();
        Map<String, Set<Object>> opens = new HashMap<String, Set<Object>>();
        opens.put("sun.nio.ch", Collections.singleton(agentModule));
        opens.put("java.net", Collections.singleton(agentModule));
        Method redefineModule = Instrumentation.class.getMethod("redefineModule", moduleClass, Set.class,
                Map.class, Map.class, Set.class, Map.class);
        redefineModule.invoke(inst, javaBase, Collections.emptySet(), Collections.emptyMap(), opens,
                Collections.emptySet(), Collections.emptyMap());
    }

    private static Class<?> defineInJavaBase(byte[] bytes) throws ReflectiveOperationException {
        Class<?> net = Class.forName("sun.nio.ch.Net");
        Method privateLookupIn = MethodHandles.class.getMethod("privateLookupIn", Class.class,
                MethodHandles.Lookup.class);
        Object lookup = privateLookupIn.invoke(null, net, MethodHandles.lookup());
        Method defineClass = MethodHandles.Lookup.class.getMethod("defineClass", byte[].class);
        return (Class<?>) defineClass.invoke(lookup, (Object) bytes);
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
            return Class.forName(BRIDGE_CLASS, true, null);
        } finally {
            // The boot loader keeps the jar open; on Unix the name can go right away.
            jar.delete();
        }
    }
}
