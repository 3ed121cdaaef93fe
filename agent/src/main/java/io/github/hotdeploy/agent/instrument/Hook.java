package io.github.hotdeploy.agent.instrument;

import net.bytebuddy.jar.asm.Opcodes;

/**
 * One JDK (or Netty) method that gets a call into the bridge on entry.
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

    Hook(Group group, String methodName, String methodDescriptor, String bridgeMethod, String bridgeDescriptor,
            Value... values) {
        this.group = group;
        this.methodName = methodName;
        this.methodDescriptor = methodDescriptor;
        this.bridgeMethod = bridgeMethod;
        this.bridgeDescriptor = bridgeDescriptor;
        this.skipsOnTrue = bridgeDescriptor.endsWith(")Z");
        this.replacesLastInt = bridgeDescriptor.endsWith(")I");
        this.values = values;
        if (replacesLastInt && (values.length == 0 || values[values.length - 1].loadOpcode != Opcodes.ILOAD)) {
            throw new IllegalArgumentException(bridgeMethod + ": an int-returning hook must end with an int argument");
        }
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
