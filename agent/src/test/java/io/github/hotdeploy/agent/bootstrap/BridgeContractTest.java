package io.github.hotdeploy.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/**
 * The bridge is compiled apart and defined in the bootstrap loader, so nothing at run time would
 * notice if it and the agent disagreed: these checks read the shipped bridge bytes.
 */
class BridgeContractTest {

    private static byte[] bridgeBytes() throws IOException {
        try (InputStream in = BridgeInstaller.class.getResourceAsStream("StartServerAgentBridge.bin")) {
            assertThat(in).as("the bridge class built by the agent module").isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void theBridgeUsesNoAgentClass() throws IOException {
        // javac may leave an unused class entry for the constants' owner in the pool; what matters
        // is that no declaration or instruction names one (it would fail to resolve at run time).
        List<String> uses = new ArrayList<>();
        new ClassReader(bridgeBytes()).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                    String[] interfaces) {
                note(superName + " " + String.join(" ", interfaces));
            }

            @Override
            public net.bytebuddy.jar.asm.FieldVisitor visitField(int access, String name, String descriptor,
                    String signature, Object value) {
                note(descriptor);
                return null;
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                note(descriptor);
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int op, String owner, String n, String d, boolean itf) {
                        note(owner + d);
                    }

                    @Override
                    public void visitFieldInsn(int op, String owner, String n, String d) {
                        note(owner + d);
                    }

                    @Override
                    public void visitTypeInsn(int op, String type) {
                        note(type);
                    }

                    @Override
                    public void visitLdcInsn(Object value) {
                        note(String.valueOf(value));
                    }
                };
            }

            private void note(String text) {
                if (text.contains("io/github/hotdeploy")) {
                    uses.add(text);
                }
            }
        }, 0);
        assertThat(uses).isEmpty();
    }

    @Test
    void theBridgeHandlesEveryOperationOfTheContract() throws Exception {
        Set<Integer> handled = switchKeysOf(bridgeBytes(), "apply");
        List<String> missing = new ArrayList<>();
        for (Field f : BridgeContract.class.getFields()) {
            if (f.getName().startsWith("OP_") && !handled.contains(f.getInt(null))) {
                missing.add(f.getName());
            }
        }
        assertThat(missing).as("operations without a case in StartServerAgentBridge.apply").isEmpty();
    }

    @Test
    void contractNumbersAreDistinctWithinEachGroup() throws Exception {
        for (String group : new String[] {"OP_\\w+", "\\w+_BIND", "ACCEPT_\\w+|NETTY_LISTEN|SELECTING"}) {
            Set<Integer> seen = new HashSet<>();
            for (Field f : BridgeContract.class.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class && f.getName().matches(group)) {
                    assertThat(seen.add(f.getInt(null))).as(f.getName() + " reuses a number").isTrue();
                }
            }
            assertThat(seen).as(group).isNotEmpty();
        }
    }

    /** The case keys of every switch in the named methods of a class. */
    static Set<Integer> switchKeysOf(byte[] classBytes, String methodName) {
        Set<Integer> keys = new HashSet<>();
        new ClassReader(classBytes).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                if (!name.equals(methodName)) {
                    return null;
                }
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
                        for (int i = 0; i < labels.length; i++) {
                            if (labels[i] != dflt) {
                                keys.add(min + i);
                            }
                        }
                    }

                    @Override
                    public void visitLookupSwitchInsn(Label dflt, int[] values, Label[] labels) {
                        for (int v : values) {
                            keys.add(v);
                        }
                    }
                };
            }
        }, 0);
        return keys;
    }
}
