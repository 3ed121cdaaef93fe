package io.github.hotdeploy.agent.instrument;

import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * One JDK (or Netty) method that gets a call into the bridge on entry (or, for a constructor,
 * before it returns: {@link #atReturn}).
 *
 * <p>A {@linkplain #skipsOnTrue() skipping} hook turns {@code void m(args) { body }} into
 * {@code void m(args) { if (Bridge.x(values)) return; body }}; a hook whose bridge method returns
 * an int stores it back into its last (int) argument: {@code m(a, n) { n = Bridge.x(a, n); body }};
 * the others into {@code m(args) { Bridge.x(values); body }}. Values are method arguments, fields
 * of {@code this} or results of calls on {@code this}, so the bridge sees plain JDK types.
 */
final class Hook {

    /** Where a value handed to the bridge comes from. */
    static final class Value {
        final int loadOpcode; // ALOAD or ILOAD of a local, GETFIELD on this, INVOKEVIRTUAL on this
        final int local;
        final String fieldOwner;
        final String fieldName;
        final String fieldDescriptor;

        private Value(int loadOpcode, int local, String fieldOwner, String fieldName, String fieldDescriptor) {
            this.loadOpcode = loadOpcode;
            this.local = local;
            this.fieldOwner = fieldOwner;
            this.fieldName = fieldName;
            this.fieldDescriptor = fieldDescriptor;
        }

        static Value ref(int local) {
            return new Value(Opcodes.ALOAD, local, null, null, null);
        }

        static Value integer(int local) {
            return new Value(Opcodes.ILOAD, local, null, null, null);
        }

        static Value thisField(String owner, String name, String descriptor) {
            return new Value(Opcodes.GETFIELD, 0, owner, name, descriptor);
        }

        /** {@code this.name()} on the class being hooked, whatever it is called (shaded copies). */
        static Value thisCall(String name, String descriptor) {
            return new Value(Opcodes.INVOKEVIRTUAL, 0, null, name, descriptor);
        }
    }

    enum Group { BIND, ACCEPT }

    final Group group;
    final String methodName;
    final String methodDescriptor;
    final String bridgeMethod;
    final String bridgeDescriptor;
    final boolean skipsOnTrue;
    final boolean replacesLastInt;
    final Value[] values;
    /** Called before each return instead of on entry: a constructor's {@code this} exists only then. */
    final boolean atReturn;

    Hook(Group group, String methodName, String methodDescriptor, String bridgeMethod, String bridgeDescriptor,
            Value... values) {
        this(false, group, methodName, methodDescriptor, bridgeMethod, bridgeDescriptor, values);
    }

    /**
     * {@code Bridge.x(values)} before every {@code return} of a void method (a constructor's
     * {@code this} may be handed out only once the constructor has initialised it).
     */
    static Hook atReturn(Group group, String methodName, String methodDescriptor, String bridgeMethod,
            String bridgeDescriptor, Value... values) {
        if (!methodDescriptor.endsWith(")V") || !bridgeDescriptor.endsWith(")V")) {
            throw new IllegalArgumentException(bridgeMethod + ": a return hook is for void methods and returns nothing");
        }
        return new Hook(true, group, methodName, methodDescriptor, bridgeMethod, bridgeDescriptor, values);
    }

    private Hook(boolean atReturn, Group group, String methodName, String methodDescriptor, String bridgeMethod,
            String bridgeDescriptor, Value... values) {
        this.group = group;
        this.methodName = methodName;
        this.methodDescriptor = methodDescriptor;
        this.bridgeMethod = bridgeMethod;
        this.bridgeDescriptor = bridgeDescriptor;
        this.skipsOnTrue = bridgeDescriptor.endsWith(")Z");
        this.replacesLastInt = bridgeDescriptor.endsWith(")I");
        this.values = values;
        this.atReturn = atReturn;
        if (replacesLastInt && (values.length == 0 || values[values.length - 1].loadOpcode != Opcodes.ILOAD)) {
            throw new IllegalArgumentException(bridgeMethod + ": an int-returning hook must end with an int argument");
        }
    }

    /** Writes the bridge call: loads the values, invokes the bridge method (its result stays on the stack). */
    void writeCall(MethodVisitor out, String hookedClass) {
        for (Value value : values) {
            if (value.loadOpcode == Opcodes.GETFIELD) {
                out.visitVarInsn(Opcodes.ALOAD, 0);
                out.visitFieldInsn(Opcodes.GETFIELD, value.fieldOwner, value.fieldName, value.fieldDescriptor);
            } else if (value.loadOpcode == Opcodes.INVOKEVIRTUAL) {
                out.visitVarInsn(Opcodes.ALOAD, 0);
                out.visitMethodInsn(Opcodes.INVOKEVIRTUAL, hookedClass, value.fieldName, value.fieldDescriptor, false);
            } else {
                out.visitVarInsn(value.loadOpcode, value.local);
            }
        }
        out.visitMethodInsn(Opcodes.INVOKESTATIC, HookTable.BRIDGE, bridgeMethod, bridgeDescriptor, false);
    }

    /** Stack slots the call needs: references and ints only, one slot each. */
    int stackNeeded() {
        return values.length;
    }

    boolean matches(String name, String descriptor) {
        return methodName.equals(name) && methodDescriptor.equals(descriptor);
    }

    boolean skipsOnTrue() {
        return skipsOnTrue;
    }

    @Override
    public String toString() {
        return methodName + methodDescriptor;
    }
}
