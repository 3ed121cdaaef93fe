package io.github.hotdeploy.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotdeploy.agent.instrument.Hook.Group;
import io.github.hotdeploy.agent.instrument.Hook.Value;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hand-written frames must pass the verifier, also when the original method already has a
 * frame at offset 0 (a loop back to its first instruction), and untouched methods stay as they
 * were. Verification happens when the rewritten class is linked, so defining and initialising it
 * is the test; the bridge it calls is never resolved.
 */
class EntryHookAdapterTest {

    /** Shapes a hooked method can have. */
    public static final class Target {
        public static int calls;

        public static void straight(Object a, int b) {
            calls++;
        }

        public static void loopAtStart(Object a, int n) {
            while (n > 0) {
                n--;
                calls++;
            }
        }

        public static void withTryCatch(Object a, int n) {
            try {
                calls += Integer.parseInt(String.valueOf(n));
            } catch (NumberFormatException e) {
                calls = -1;
            }
        }

        public static int untouched(int x) {
            return x + 1;
        }

        public static int aroundInt(Object a, int b) {
            return -1;
        }

        public static long aroundLong(Object a, long b) {
            while (b > 100) { // a loop back to the first instruction: the original's own frame at 0
                b--;
            }
            return -1L;
        }

        public static CharSequence aroundRef(Object a) {
            return "original";
        }
    }

    private static Hook skipping(String method) {
        return new Hook(Group.BIND, method, "(Ljava/lang/Object;I)V", "probe", "(Ljava/lang/Object;I)Z",
                Value.ref(0), Value.integer(1));
    }

    @Test
    void rewrittenMethodsVerify() throws Exception {
        Class<?> rewritten = rewriteAndDefine("straight", "loopAtStart", "withTryCatch");
        assertThat(rewritten.getName()).isEqualTo(Target.class.getName());
        // Untouched code still runs in the rewritten class.
        Method untouched = rewritten.getMethod("untouched", int.class);
        assertThat(untouched.invoke(null, 41)).isEqualTo(42);
    }

    @Test
    void anAroundHookReturnsTheBridgesResultUnlessItIsTheCarryOnValue() throws Exception {
        List<Hook> hooks = List.of(
                Hook.around(Group.BIND, "aroundInt", "(Ljava/lang/Object;I)I", "echoInt", "(Ljava/lang/Object;I)I",
                        Value.ref(0), Value.integer(1)),
                Hook.around(Group.BIND, "aroundLong", "(Ljava/lang/Object;J)J", "echoLong", "(Ljava/lang/Object;J)J",
                        Value.ref(0), Value.longValue(1)),
                Hook.around(Group.BIND, "aroundRef", "(Ljava/lang/Object;)Ljava/lang/CharSequence;", "echoRef",
                        "(Ljava/lang/Object;)Ljava/lang/Object;", Value.ref(0)));
        Class<?> rewritten = define(hooks, true);
        Method i = rewritten.getMethod("aroundInt", Object.class, int.class);
        assertThat(i.invoke(null, null, 7)).isEqualTo(7);
        assertThat(i.invoke(null, null, Integer.MIN_VALUE)).isEqualTo(-1);
        Method l = rewritten.getMethod("aroundLong", Object.class, long.class);
        assertThat(l.invoke(null, null, 1L << 40)).isEqualTo(1L << 40);
        assertThat(l.invoke(null, null, Long.MIN_VALUE)).isEqualTo(-1L);
        Method r = rewritten.getMethod("aroundRef", Object.class);
        assertThat(r.invoke(null, "bridge")).isEqualTo("bridge");
        assertThat(r.invoke(null, (Object) null)).isEqualTo("original");
    }

    @Test
    void anAroundHookRefusesAReturnTypeItCannotCompare() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Hook.around(Group.BIND, "m", "()V", "b", "()V"))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Hook.around(Group.BIND, "m", "()I", "b", "()J"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Class<?> rewriteAndDefine(String... hooked) throws Exception {
        List<Hook> hooks = new ArrayList<>();
        for (String method : hooked) {
            hooks.add(skipping(method));
        }
        return define(hooks, false);
    }

    private static Class<?> define(List<Hook> hooks, boolean withFakeBridge) throws Exception {
        String resource = Target.class.getName().replace('.', '/') + ".class";
        byte[] original;
        try (InputStream in = EntryHookAdapterTest.class.getClassLoader().getResourceAsStream(resource)) {
            original = in.readAllBytes();
        }
        List<String> applied = new ArrayList<>();
        byte[] bytes = HookTransformer.rewrite(resource.replace(".class", ""), hooks, original, applied);
        assertThat(applied).hasSize(hooks.size());
        byte[] bridge = withFakeBridge ? echoBridge() : null;
        ClassLoader loader = new ClassLoader(null) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                if (name.equals(Target.class.getName())) {
                    return defineClass(name, bytes, 0, bytes.length);
                }
                if (bridge != null && name.equals(HookTable.BRIDGE.replace('/', '.'))) {
                    return defineClass(name, bridge, 0, bridge.length);
                }
                throw new ClassNotFoundException(name);
            }
        };
        return Class.forName(Target.class.getName(), true, loader); // links: runs the verifier
    }

    /** A stand-in bridge whose echo methods return their last argument (a non-String as null). */
    private static byte[] echoBridge() {
        net.bytebuddy.jar.asm.ClassWriter w = new net.bytebuddy.jar.asm.ClassWriter(
                net.bytebuddy.jar.asm.ClassWriter.COMPUTE_MAXS);
        w.visit(net.bytebuddy.jar.asm.Opcodes.V1_8, net.bytebuddy.jar.asm.Opcodes.ACC_PUBLIC, HookTable.BRIDGE, null,
                "java/lang/Object", null);
        int stat = net.bytebuddy.jar.asm.Opcodes.ACC_PUBLIC | net.bytebuddy.jar.asm.Opcodes.ACC_STATIC;
        net.bytebuddy.jar.asm.MethodVisitor m = w.visitMethod(stat, "echoInt", "(Ljava/lang/Object;I)I", null, null);
        m.visitCode();
        m.visitVarInsn(net.bytebuddy.jar.asm.Opcodes.ILOAD, 1);
        m.visitInsn(net.bytebuddy.jar.asm.Opcodes.IRETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
        m = w.visitMethod(stat, "echoLong", "(Ljava/lang/Object;J)J", null, null);
        m.visitCode();
        m.visitVarInsn(net.bytebuddy.jar.asm.Opcodes.LLOAD, 1);
        m.visitInsn(net.bytebuddy.jar.asm.Opcodes.LRETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
        m = w.visitMethod(stat, "echoRef", "(Ljava/lang/Object;)Ljava/lang/Object;", null, null);
        m.visitCode();
        m.visitVarInsn(net.bytebuddy.jar.asm.Opcodes.ALOAD, 0);
        m.visitInsn(net.bytebuddy.jar.asm.Opcodes.ARETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
        w.visitEnd();
        return w.toByteArray();
    }
}
