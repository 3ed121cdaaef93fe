package io.github.hotdeploy.agent.instrument;

import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Inserts one bridge call at the start of a method, leaving every original instruction, frame
 * and exception handler untouched.
 *
 * <p>Frames are written by hand instead of with {@code COMPUTE_FRAMES}: computing them loads
 * classes from inside a transformer of JDK classes and costs start-up time. The only new branch
 * target is the original first instruction, whose frame is the method's initial frame
 * ({@code F_SAME}). If the original method already has a frame at offset 0 (a loop back to its
 * start), that frame describes the same offset and ours is dropped, so there are never two
 * (ASM would also drop a second F_SAME at one offset; we do not rely on it).
 */
final class EntryHookAdapter extends MethodVisitor {

    private final Hook hook;
    private final String owner;
    private final boolean writesFrames;
    private boolean framePending;

    EntryHookAdapter(MethodVisitor next, Hook hook, String owner, int classVersion) {
        super(Opcodes.ASM9, next);
        this.hook = hook;
        this.owner = owner;
        // Stack map frames exist from class file version 50 (Java 6) on.
        this.writesFrames = (classVersion & 0xFFFF) >= Opcodes.V1_6;
    }

    @Override
    public void visitCode() {
        super.visitCode();
        hook.writeCall(mv, owner);
        if (hook.replacesLastInt) {
            // Same local, same type: the method's initial frame still holds, no frame needed.
            super.visitVarInsn(Opcodes.ISTORE, hook.values[hook.values.length - 1].local);
        }
        if (hook.skipsOnTrue()) {
            Label original = new Label();
            super.visitJumpInsn(Opcodes.IFEQ, original);
            super.visitInsn(Opcodes.RETURN);
            super.visitLabel(original);
            framePending = writesFrames;
        }
        if (hook.around) {
            writeAround();
        }
    }

    /**
     * After the bridge call (its result on the stack): return it unless it is the carry-on value,
     * else drop it and fall into the original code. The one new branch target is our own POP, so
     * its frame is ours to write (the method's locals, the result on the stack); the original's
     * first instruction is reached by falling through, as before.
     */
    private void writeAround() {
        Label carryOn = new Label();
        char type = hook.returnType();
        Object onStack;
        if (type == 'J') {
            super.visitInsn(Opcodes.DUP2);
            super.visitLdcInsn(Long.MIN_VALUE);
            super.visitInsn(Opcodes.LCMP);
            super.visitJumpInsn(Opcodes.IFEQ, carryOn);
            super.visitInsn(Opcodes.LRETURN);
            onStack = Opcodes.LONG;
        } else if (type == 'I') {
            super.visitInsn(Opcodes.DUP);
            super.visitLdcInsn(Integer.MIN_VALUE);
            super.visitJumpInsn(Opcodes.IF_ICMPEQ, carryOn);
            super.visitInsn(Opcodes.IRETURN);
            onStack = Opcodes.INTEGER;
        } else {
            super.visitInsn(Opcodes.DUP);
            super.visitJumpInsn(Opcodes.IFNULL, carryOn);
            if (!hook.methodReturnInternalName().equals(hook.bridgeReturnInternalName())) {
                super.visitTypeInsn(Opcodes.CHECKCAST, hook.methodReturnInternalName());
            }
            super.visitInsn(Opcodes.ARETURN);
            onStack = hook.bridgeReturnInternalName();
        }
        super.visitLabel(carryOn);
        if (writesFrames) {
            super.visitFrame(Opcodes.F_SAME1, 0, null, 1, new Object[] {onStack});
        }
        super.visitInsn(type == 'J' ? Opcodes.POP2 : Opcodes.POP);
    }

    private void flushFrame() {
        if (framePending) {
            framePending = false;
            super.visitFrame(Opcodes.F_SAME, 0, null, 0, null);
        }
    }

    @Override
    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
        framePending = false; // the original's own frame at offset 0 stands in for ours
        super.visitFrame(type, numLocal, local, numStack, stack);
    }

    @Override
    public void visitInsn(int opcode) {
        flushFrame();
        super.visitInsn(opcode);
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
        flushFrame();
        super.visitIntInsn(opcode, operand);
    }

    @Override
    public void visitVarInsn(int opcode, int var) {
        flushFrame();
        super.visitVarInsn(opcode, var);
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
        flushFrame();
        super.visitTypeInsn(opcode, type);
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
        flushFrame();
        super.visitFieldInsn(opcode, owner, name, descriptor);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
        flushFrame();
        super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String descriptor, net.bytebuddy.jar.asm.Handle bootstrap,
            Object... arguments) {
        flushFrame();
        super.visitInvokeDynamicInsn(name, descriptor, bootstrap, arguments);
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
        flushFrame();
        super.visitJumpInsn(opcode, label);
    }

    @Override
    public void visitLdcInsn(Object value) {
        flushFrame();
        super.visitLdcInsn(value);
    }

    @Override
    public void visitIincInsn(int var, int increment) {
        flushFrame();
        super.visitIincInsn(var, increment);
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
        flushFrame();
        super.visitTableSwitchInsn(min, max, dflt, labels);
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
        flushFrame();
        super.visitLookupSwitchInsn(dflt, keys, labels);
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
        flushFrame();
        super.visitMultiANewArrayInsn(descriptor, numDimensions);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        super.visitMaxs(Math.max(maxStack, hook.stackNeeded()), maxLocals);
    }
}
