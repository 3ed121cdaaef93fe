package io.github.hotdeploy.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

class HookTableTest {

    @Test
    void nettySocketIsMatchedByNameSuffixSoShadedCopiesAreCaught() {
        assertThat(HookTable.isNettySocket("io/netty/channel/unix/Socket")).isTrue();
        assertThat(HookTable.isNettySocket("io/grpc/netty/shaded/io/netty/channel/unix/Socket")).isTrue();
        assertThat(HookTable.isNettySocket("com/example/myio/netty/channel/unix/Socket")).isFalse();
        assertThat(HookTable.isNettySocket("io/netty/channel/unix/SocketWritableByteChannel")).isFalse();
    }

    @Test
    void acceptHooksOnlyWhenReadinessIsWanted() {
        assertThat(new HookTable(false).forClass(HookTable.SELECTION_KEY)).isEmpty();
        assertThat(new HookTable(true).forClass(HookTable.SELECTION_KEY)).hasSize(1);
        // The drain keeps OP_ACCEPT off adopted listeners through the same hook.
        assertThat(new HookTable(false, true).forClass(HookTable.SELECTION_KEY)).hasSize(1);
        assertThat(new HookTable(false).forClass(HookTable.NET)).hasSize(1);
        assertThat(new HookTable(false).forClass("java/lang/String")).isEmpty();
    }

    @Test
    void theDrainLearnsSelectorsAsTheyAreOpenedNotOnEachRegistration() {
        assertThat(new HookTable(true, true).forClass(HookTable.SELECTOR))
                .noneMatch(hook -> hook.methodName.equals("register"))
                .anyMatch(hook -> hook.methodName.equals("<init>") && hook.atReturn);
        assertThat(new HookTable(true, false).forClass(HookTable.SELECTOR)).noneMatch(hook -> hook.atReturn);
    }

    @Test
    void everyHookCallsAPublicStaticMethodTheShippedBridgeHas() throws IOException {
        Set<String> bridgeMethods = new HashSet<>();
        try (InputStream in = io.github.hotdeploy.agent.bootstrap.BridgeInstaller.class
                .getResourceAsStream("StartServerAgentBridge.bin")) {
            new ClassReader(in.readAllBytes()).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                        String[] exceptions) {
                    if ((access & Opcodes.ACC_PUBLIC) != 0 && (access & Opcodes.ACC_STATIC) != 0) {
                        bridgeMethods.add(name + descriptor);
                    }
                    return null;
                }
            }, ClassReader.SKIP_CODE);
        }
        HookTable table = new HookTable(true, true);
        List<String> missing = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        table.jdkClassNames().forEach(classes::add);
        classes.add(HookTable.NETTY_SOCKET_SUFFIX);
        for (String owner : classes) {
            for (Hook hook : table.forClass(owner)) {
                if (!bridgeMethods.contains(hook.bridgeMethod + hook.bridgeDescriptor)) {
                    missing.add(owner + "." + hook + " -> " + hook.bridgeMethod + hook.bridgeDescriptor);
                }
            }
        }
        assertThat(missing).as("hooks calling a bridge method that does not exist").isEmpty();
    }
}
