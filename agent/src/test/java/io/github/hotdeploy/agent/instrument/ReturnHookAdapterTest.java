package io.github.hotdeploy.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hotdeploy.agent.instrument.Hook.Group;
import io.github.hotdeploy.agent.instrument.Hook.Value;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/**
 * A constructor hooked at its returns hands the bridge the finished object, once per
 * construction, whichever return it leaves by, and never when it throws. The rewritten class and
 * a stand-in bridge (same name as the real one, generated here) are defined in a loader of their
 * own, and the constructors really run.
 */
class ReturnHookAdapterTest {

    /** A constructor with two ways out and one way to fail. */
    public static final class Target {
        public final String how;

        public Target(int way) {
            if (way == 0) {
                how = "early";
                return;
            }
            if (way < 0) {
                throw new IllegalArgumentException("no");
            }
            how = "late";
        }
    }

    private static final Hook OPENED = Hook.atReturn(Group.ACCEPT, "<init>", "(I)V", "opened",
            "(Ljava/lang/Object;)V", Value.ref(0));

    @Test
    void eachReturnOfTheConstructorHandsTheObjectToTheBridge() throws Exception {
        ClassLoader loader = loaderWithRewrittenTarget();
        Constructor<?> constructor = Class.forName(Target.class.getName(), true, loader).getConstructor(int.class);
        @SuppressWarnings("unchecked")
        List<Object> seen = (List<Object>) Class.forName(HookTable.BRIDGE.replace('/', '.'), true, loader)
                .getField("seen").get(null);

        Object early = constructor.newInstance(0);
        Object late = constructor.newInstance(1);
        assertThatThrownBy(() -> constructor.newInstance(-1)).isInstanceOf(InvocationTargetException.class);

        assertThat(seen).hasSize(2);
        assertThat(seen.get(0)).isSameAs(early);
        assertThat(seen.get(1)).isSameAs(late);
        assertThat(early.getClass().getField("how").get(early)).isEqualTo("early");
        assertThat(late.getClass().getField("how").get(late)).isEqualTo("late");
    }

    @Test
    void onlyVoidMethodsCanBeHookedAtTheirReturns() {
        assertThatThrownBy(() -> Hook.atReturn(Group.ACCEPT, "size", "()I", "x", "(Ljava/lang/Object;)V",
                Value.ref(0))).isInstanceOf(IllegalArgumentException.class);
    }

    private static ClassLoader loaderWithRewrittenTarget() throws Exception {
        String resource = Target.class.getName().replace('.', '/') + ".class";
        byte[] original;
        try (InputStream in = ReturnHookAdapterTest.class.getClassLoader().getResourceAsStream(resource)) {
            original = in.readAllBytes();
        }
        List<String> applied = new ArrayList<>();
        byte[] target = HookTransformer.rewrite(resource.replace(".class", ""), List.of(OPENED), original, applied);
        assertThat(applied).containsExactly(resource.replace(".class", "") + ".<init>(I)V");
        byte[] bridge = standInBridge();
        return new ClassLoader(null) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                if (name.equals(Target.class.getName())) {
                    return defineClass(name, target, 0, target.length);
                }
                if (name.equals(HookTable.BRIDGE.replace('/', '.'))) {
                    return defineClass(name, bridge, 0, bridge.length);
                }
                throw new ClassNotFoundException(name);
            }
        };
    }

    /** {@code public static final List seen = new ArrayList(); public static void opened(Object o) { seen.add(o); }} */
    private static byte[] standInBridge() {
        ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        w.visit(Opcodes.V1_8, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL, HookTable.BRIDGE, null, "java/lang/Object", null);
        w.visitField(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL, "seen", "Ljava/util/List;", null, null)
                .visitEnd();
        MethodVisitor init = w.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
        init.visitCode();
        init.visitTypeInsn(Opcodes.NEW, "java/util/ArrayList");
        init.visitInsn(Opcodes.DUP);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/util/ArrayList", "<init>", "()V", false);
        init.visitFieldInsn(Opcodes.PUTSTATIC, HookTable.BRIDGE, "seen", "Ljava/util/List;");
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        MethodVisitor opened = w.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "opened", "(Ljava/lang/Object;)V",
                null, null);
        opened.visitCode();
        opened.visitFieldInsn(Opcodes.GETSTATIC, HookTable.BRIDGE, "seen", "Ljava/util/List;");
        opened.visitVarInsn(Opcodes.ALOAD, 0);
        opened.visitMethodInsn(Opcodes.INVOKEINTERFACE, "java/util/List", "add", "(Ljava/lang/Object;)Z", true);
        opened.visitInsn(Opcodes.POP);
        opened.visitInsn(Opcodes.RETURN);
        opened.visitMaxs(0, 0);
        opened.visitEnd();
        w.visitEnd();
        return w.toByteArray();
    }
}
