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

    private static Class<?> rewriteAndDefine(String... hooked) throws Exception {
        String resource = Target.class.getName().replace('.', '/') + ".class";
        byte[] original;
        try (InputStream in = EntryHookAdapterTest.class.getClassLoader().getResourceAsStream(resource)) {
            original = in.readAllBytes();
        }
        List<Hook> hooks = new ArrayList<>();
        for (String method : hooked) {
            hooks.add(skipping(method));
        }
        List<String> applied = new ArrayList<>();
        byte[] bytes = HookTransformer.rewrite(resource.replace(".class", ""), hooks, original, applied);
        assertThat(applied).hasSize(hooked.length);
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
