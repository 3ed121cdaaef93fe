package io.github.hotdeploy.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotdeploy.agent.instrument.Hook.Group;
import io.github.hotdeploy.agent.instrument.Hook.Value;
import java.io.InputStream;
import java.lang.reflect.Method;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
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
    }

    private static final Hook SKIPPING = new Hook(Group.BIND, "any", "(Ljava/lang/Object;I)V",
            "probe", "(Ljava/lang/Object;I)Z", Value.ref(0), Value.integer(1));

    @Test
    void rewrittenMethodsVerify() throws Exception {
        Class<?> rewritten = rewriteAndDefine("straight", "loopAtStart", "withTryCatch");
        assertThat(rewritten.getName()).isEqualTo(Target.class.getName());
        // Untouched code still runs in the rewritten class.
        Method untouched = rewritten.getMethod("untouched", int.class);
        assertThat(untouched.invoke(null, 41)).isEqualTo(42);
    }

    private static Class<?> rewriteAndDefine(String... hooked) throws Exception {
        String resource = Target.class.getName().replace('.', '/') + ".class";
        byte[] original;
        try (InputStream in = EntryHookAdapterTest.class.getClassLoader().getResourceAsStream(resource)) {
            original = in.readAllBytes();
        }
        ClassReader reader = new ClassReader(original);
        ClassWriter writer = new ClassWriter(reader, 0);
        String owner = reader.getClassName();
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
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
                for (String h : hooked) {
                    if (h.equals(name)) {
                        return new EntryHookAdapter(next, SKIPPING, owner, version);
                    }
                }
                return next;
            }
        }, 0);
        byte[] bytes = writer.toByteArray();
        ClassLoader loader = new ClassLoader(null) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                if (name.equals(Target.class.getName())) {
                    return defineClass(name, bytes, 0, bytes.length);
                }
                throw new ClassNotFoundException(name);
            }
        };
        return Class.forName(Target.class.getName(), true, loader); // links: runs the verifier
    }
}
