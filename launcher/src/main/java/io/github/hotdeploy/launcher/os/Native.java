package io.github.hotdeploy.launcher.os;

import jnr.ffi.LibraryLoader;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * The one place that loads native code. Loading costs a few hundred milliseconds (jffi and the
 * libc bindings), so it happens once, and only for commands that need it.
 */
public final class Native {
    private static volatile Native instance;

    private final POSIX posix;
    private final LibC libc;

    private Native() {
        this.posix = POSIXFactory.getNativePOSIX();
        this.libc = LibraryLoader.create(LibC.class).load("c");
    }

    public static Native get() {
        Native n = instance;
        if (n == null) {
            synchronized (Native.class) {
                n = instance;
                if (n == null) {
                    n = new Native();
                    instance = n;
                }
            }
        }
        return n;
    }

    public POSIX posix() {
        return posix;
    }

    public LibC libc() {
        return libc;
    }

    /** The current errno, as an exception naming the failed operation. */
    public Errno error(String context) {
        int code = posix.errno();
        return new Errno(context, code, posix.strerror(code));
    }

    public Errno error(String context, int code) {
        return new Errno(context, code, posix.strerror(code));
    }
}
