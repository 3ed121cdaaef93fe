package io.github.hotdeploy.agent.instrument;

import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Inserts one bridge call before every {@code return} of a void method (a constructor: its
 * {@code this} may be handed out only once it is initialised). No branch is added, so no frame:
 * the call sits in straight-line code just before an instruction that ends the method.
 */
final class ReturnHookAdapter extends MethodVisitor {

    private final Hook hook;
    private final String owner;

    ReturnHookAdapter(MethodVisitor next, Hook hook, String owner) {
        super(Opcodes.ASM9, next);
        this.hook = hook;
        this.owner = owner;
    }

    @Override
    public void visitInsn(int opcode) {
        if (opcode == Opcodes.RETURN) {
            hook.writeCall(mv, owner);
        }
        super.visitInsn(opcode);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        super.visitMaxs(Math.max(maxStack, hook.stackNeeded()), maxLocals);
    }
}
