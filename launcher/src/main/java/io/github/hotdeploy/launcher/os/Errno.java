package io.github.hotdeploy.launcher.os;

/** An OS call failed; the message is the call's context and strerror, ready for a one-line error. */
public final class Errno extends Exception {
    private final int code;

    public Errno(String context, int code, String reason) {
        super(context + ": " + reason);
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EBADF = 9;
    public static final int ECHILD = 10;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int EWOULDBLOCK = EAGAIN;
}
