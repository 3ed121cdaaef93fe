package io.github.hotdeploy.launcher.readiness;

import io.github.hotdeploy.launcher.os.Native;
import io.github.hotdeploy.protocol.Readiness;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * Reads one generation's notify socket on a daemon thread (blocked in recvmsg, so no CPU while
 * idle) and reports READY=1, but only from the generation's own process or one of its
 * descendants, as the kernel-supplied SCM_CREDENTIALS tell.
 */
public final class NotifyListener implements Runnable {
    private static final int BUFFER = 4096;
    private static final int CONTROL = 64;
    private static final int SOL_SOCKET = 1;
    private static final int SCM_CREDENTIALS = 2;

    private final Native nat;
    private final NotifyEndpoint endpoint;
    private final long generationPid;
    private final Consumer<Long> onReady;
    private final Consumer<String> log;

    public NotifyListener(Native nat, NotifyEndpoint endpoint, long generationPid, Consumer<Long> onReady,
                          Consumer<String> log) {
        this.nat = nat;
        this.endpoint = endpoint;
        this.generationPid = generationPid;
        this.onReady = onReady;
        this.log = log;
    }

    public void start() {
        Thread t = new Thread(this, "notify-" + generationPid);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void run() {
        Runtime runtime = Runtime.getRuntime(nat.libc());
        Pointer data = Memory.allocateDirect(runtime, BUFFER);
        Pointer control = Memory.allocateDirect(runtime, CONTROL);
        Pointer iov = Memory.allocateDirect(runtime, 16);
        Pointer message = Memory.allocateDirect(runtime, 56);
        try {
            while (true) {
                // struct iovec { base; len }, struct msghdr (x86_64/aarch64 LP64 layout)
                iov.putAddress(0, data.address());
                iov.putLong(8, BUFFER);
                message.putAddress(0, 0);
                message.putInt(8, 0);
                message.putAddress(16, iov.address());
                message.putLong(24, 1);
                message.putAddress(32, control.address());
                message.putLong(40, CONTROL);
                message.putInt(48, 0);
                long n = nat.libc().recvmsg(endpoint.receiveFd(), message, 0);
                if (n <= 0) {
                    if (n < 0 && nat.errno() == 4 /* EINTR */) {
                        continue;
                    }
                    return; // shut down: the generation has started or died
                }
                long sender = senderPid(control, message.getLong(40));
                byte[] bytes = new byte[(int) n];
                data.get(0, bytes, 0, bytes.length);
                String text = new String(bytes, StandardCharsets.UTF_8);
                if (sender != generationPid && !ProcessTree.isDescendant(sender, generationPid)) {
                    log.accept("ignoring notification from pid " + sender + ", not of generation " + generationPid);
                    continue;
                }
                if (Readiness.isReady(text)) {
                    onReady.accept(generationPid);
                }
            }
        } finally {
            endpoint.release();
        }
    }

    /** The pid in the SCM_CREDENTIALS control message, or -1. */
    private static long senderPid(Pointer control, long controlLength) {
        // struct cmsghdr { size_t len; int level; int type; } followed by struct ucred { pid, uid, gid }
        if (controlLength >= 16 + 12 && control.getInt(8) == SOL_SOCKET && control.getInt(12) == SCM_CREDENTIALS) {
            return control.getInt(16);
        }
        return -1;
    }
}
