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
 * an {@linkplain #around around} hook returns the bridge's result unless it is the "carry on"
 * value ({@code MIN_VALUE} for int and long, null for a reference):
 * {@code int m(args) { int r = Bridge.x(values); if (r != MIN_VALUE) return r; body }};
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

        /** A long argument (two local slots: {@code local} and the next). */
        static Value longValue(int local) {
            return new Value(Opcodes.LLOAD, local, null, null, null);
        }

        int slots() {
            return loadOpcode == Opcodes.LLOAD ? 2 : 1;
        }

        static Value thisField(String owner, String name, String descriptor) {
            return new Value(Opcodes.GETFIELD, 0, owner, name, descriptor);
        }

        /** {@code this.name()} on the class being hooked, whatever it is called (shaded copies). */
        static Value thisCall(String name, String descriptor) {
            return new Value(Opcodes.INVOKEVIRTUAL, 0, null, name, descriptor);
        }
    }

    enum Group { BIND, ACCEPT, DRAIN }

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
    /** The bridge's result is the method's, unless it is the carry-on value. */
    final boolean around;

    Hook(Group group, String methodName, String methodDescriptor, String bridgeMethod, String bridgeDescriptor,
            Value... values) {
        this(false, false, group, methodName, methodDescriptor, bridgeMethod, bridgeDescriptor, values);
    }

    /**
     * {@code return Bridge.x(values)} at entry unless the result is the carry-on value
     * ({@code Integer.MIN_VALUE}, {@code Long.MIN_VALUE}, null), in which case the method runs as
     * it is. The bridge returns the method's own return type (a reference may be a supertype: it is
     * cast).
     */
    static Hook around(Group group, String methodName, String methodDescriptor, String bridgeMethod,
            String bridgeDescriptor, Value... values) {
        char bridgeReturn = bridgeDescriptor.charAt(bridgeDescriptor.indexOf(')') + 1);
        char methodReturn = methodDescriptor.charAt(methodDescriptor.indexOf(')') + 1);
        boolean reference = bridgeReturn == 'L' && (methodReturn == 'L' || methodReturn == '[');
        if (!reference && (bridgeReturn != methodReturn || (bridgeReturn != 'I' && bridgeReturn != 'J'))) {
            throw new IllegalArgumentException(bridgeMethod + ": an around hook returns the method's int, long or reference");
        }
        return new Hook(false, true, group, methodName, methodDescriptor, bridgeMethod, bridgeDescriptor, values);
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
        return new Hook(true, false, group, methodName, methodDescriptor, bridgeMethod, bridgeDescriptor, values);
    }

    private Hook(boolean atReturn, boolean around, Group group, String methodName, String methodDescriptor,
            String bridgeMethod, String bridgeDescriptor, Value... values) {
        this.group = group;
        this.methodName = methodName;
        this.methodDescriptor = methodDescriptor;
        this.bridgeMethod = bridgeMethod;
        this.bridgeDescriptor = bridgeDescriptor;
        this.around = around;
        this.skipsOnTrue = !around && bridgeDescriptor.endsWith(")Z");
        this.replacesLastInt = !around && bridgeDescriptor.endsWith(")I");
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

    /** Stack slots the call needs: its values, or for an around hook the result compared with the carry-on value. */
    int stackNeeded() {
        int slots = 0;
        for (Value value : values) {
            slots += value.slots();
        }
        if (around) {
            slots = Math.max(slots, returnType() == 'J' ? 6 : 3);
        }
        return Math.max(slots, 1);
    }

    /** The first character of the bridge method's return type descriptor. */
    char returnType() {
        return bridgeDescriptor.charAt(bridgeDescriptor.indexOf(')') + 1);
    }

    /** The hooked method's return type, as an internal name for a cast (references only). */
    String methodReturnInternalName() {
        String type = methodDescriptor.substring(methodDescriptor.indexOf(')') + 1);
        return type.startsWith("L") ? type.substring(1, type.length() - 1) : type;
    }

    /** The bridge method's return type, as an internal name (references only). */
    String bridgeReturnInternalName() {
        String type = bridgeDescriptor.substring(bridgeDescriptor.indexOf(')') + 1);
        return type.startsWith("L") ? type.substring(1, type.length() - 1) : type;
    }

    boolean matches(String name, String descriptor) {
        return methodName.equals(name)
                && (methodDescriptor.equals(descriptor) || methodDescriptor.equals(unshaded(descriptor)));
    }

    /**
     * A descriptor with any package prefix before {@code io/netty/} removed (a shaded Netty's
     * types, e.g. {@code io/grpc/netty/shaded/io/netty/...}); itself when it names no such type.
     */
    static String unshaded(String descriptor) {
        int at = descriptor.indexOf("io/netty/");
        if (at < 0) {
            return descriptor;
        }
        StringBuilder out = new StringBuilder(descriptor.length());
        int i = 0;
        while (i < descriptor.length()) {
            char c = descriptor.charAt(i);
            out.append(c);
            i++;
            if (c == 'L') {
                int end = descriptor.indexOf(';', i);
                String type = descriptor.substring(i, end);
                int netty = type.indexOf("io/netty/");
                out.append(netty > 0 && type.charAt(netty - 1) == '/' ? type.substring(netty) : type).append(';');
                i = end + 1;
            }
        }
        return out.toString();
    }

    boolean skipsOnTrue() {
        return skipsOnTrue;
    }

    @Override
    public String toString() {
        return methodName + methodDescriptor;
    }
}
