package io.github.hotdeploy.agent.instrument;

import io.github.hotdeploy.agent.Log;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * A plain {@link ClassFileTransformer} over Byte Buddy's bundled ASM. Byte Buddy's
 * {@code AgentBuilder} would cost 0.6-1 s of start-up on every restart (docs/agent.md); this
 * costs a few dozen classes.
 *
 * <p>Classes already loaded when the agent starts ({@code sun.nio.ch.Net} always is) are
 * retransformed; the others are hooked as they load. The transformer records which hooks it
 * applied so the agent can prove the instrumentation took effect.
 */
public final class HookTransformer implements ClassFileTransformer {

    private final HookTable table;
    private final Consumer<ClassLoader> nettyAccess;
    private final Set<String> applied = ConcurrentHashMap.newKeySet();
    private final Set<String> failed = ConcurrentHashMap.newKeySet();

    /**
     * @param insideJsvc with the drain: hook commons-daemon's DaemonLoader.stop(), which jsvc calls on SIGTERM
     * @param nettyAccess called with the loader of a hooked class outside the JDK (Netty's, commons-daemon's)
     *     before its hooked bytes are returned: that class must be able to call into java.base's
     *     sun.nio.ch
     */
    public HookTransformer(boolean withAcceptHooks, boolean withDrain, boolean insideJsvc,
            Consumer<ClassLoader> nettyAccess) {
        this(HookTable.forStartUp(withAcceptHooks, withDrain, insideJsvc), nettyAccess);
    }

    private HookTransformer(HookTable table, Consumer<ClassLoader> nettyAccess) {
        this.table = table;
        this.nettyAccess = nettyAccess;
    }

    /** The drain's write path (see {@link HookTable#drainWrites()}), to install once a drain begins. */
    public static HookTransformer forDrainWrites(Consumer<ClassLoader> nettyAccess) {
        return new HookTransformer(HookTable.drainWrites(), nettyAccess);
    }

    /**
     * Registers the transformer and retransforms every loaded class it hooks, JDK or not: at
     * start-up the JDK's that are always loaded ({@code sun.nio.ch.Net}) and, with an AOT cache
     * (JDK 24+), the app's cached classes, which the JVM loads, linked, before premain (Netty's
     * Socket would otherwise never pass through transform(): its bind not adopted, every
     * generation booted from the cache dead on EADDRINUSE); at a drain, the write path's classes,
     * loaded by then as a rule.
     */
    public void install(Instrumentation inst) throws UnmodifiableClassException {
        inst.addTransformer(this, true);
        List<Class<?>> loaded = new ArrayList<Class<?>>();
        for (Class<?> type : inst.getAllLoadedClasses()) {
            if (table.hooks(type.getName()) && inst.isModifiableClass(type)) {
                loaded.add(type);
            }
        }
        if (!loaded.isEmpty()) {
            inst.retransformClasses(loaded.toArray(new Class<?>[0]));
        }
    }

    /** "sun/nio/ch/Net.bind(...)V" for every hook applied so far. */
    public Set<String> applied() {
        return applied;
    }

    /** Classes whose transformation failed, with the reason. */
    public Set<String> failed() {
        return failed;
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (className == null) {
            return null;
        }
        final List<Hook> hooks = table.forClass(className);
        if (hooks.isEmpty()) {
            return null;
        }
        try {
            byte[] result = rewrite(className, hooks, classfileBuffer, applied);
            if (result != null && loader != null && HookTable.isOutsideTheJdk(className)) {
                nettyAccess.accept(loader);
            }
            return result;
        } catch (Throwable t) {
            String failure = className + " (" + Log.describe(t) + ")";
            failed.add(failure);
            if (classBeingRedefined == null) {
                // Loaded after start-up: nobody else will hear of it.
                Log.warn("could not instrument " + failure + "; binds through it proceed normally and"
                        + " readiness may not be reported");
            }
            return null; // the class loads unchanged: that path binds normally
        }
    }

    /**
     * The class with the hooks whose methods it has, or null when it has none of them; adds
     * "owner.nameDescriptor" of each hooked method to {@code applied}.
     */
    static byte[] rewrite(final String className, final List<Hook> hooks, byte[] original,
            java.util.Collection<String> applied) {
        ClassReader reader = new ClassReader(original);
        // Passing the reader lets ASM copy every untouched method verbatim.
        ClassWriter writer = new ClassWriter(reader, 0);
        final List<String> hooked = new ArrayList<String>();
        ClassVisitor visitor = new ClassVisitor(Opcodes.ASM9, writer) {
            private int version;

            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                    String[] interfaces) {
                this.version = version;
                super.visit(version, access, name, signature, superName, interfaces);
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
                if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
                    return next;
                }
                for (Hook hook : hooks) {
                    if (hook.matches(name, descriptor)) {
                        hooked.add(className + "." + name + descriptor);
                        return hook.atReturn ? new ReturnHookAdapter(next, hook, className)
                                : new EntryHookAdapter(next, hook, className, version);
                    }
                }
                return next;
            }
        };
        reader.accept(visitor, 0);
        if (hooked.isEmpty()) {
            return null;
        }
        byte[] result = writer.toByteArray();
        applied.addAll(hooked);
        return result;
    }
}
