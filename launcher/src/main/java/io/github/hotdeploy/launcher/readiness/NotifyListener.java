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
 * idle) for the generation's whole life, and reports READY=1 and records the agent's other
 * reports ({@link AgentReports}), but only from the generation's own process or one of its
 * descendants, as the kernel-supplied SCM_CREDENTIALS tell. Refusals are logged sparingly
 * ({@link RejectionLog}); descriptors that come with a message (SCM_RIGHTS, as sd_notify's
 * barrier sends) are closed at once, accepted or not, so that nobody can fill start_server's
 * descriptor table through the socket, and a barrier's sender is released.
 */
public final class NotifyListener implements Runnable {
    private static final int BUFFER = 4096;
    private static final int CONTROL = 256;
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final int SCM_CREDENTIALS = 2;
    /** Received descriptors close-on-exec: none can reach a child spawned before they are closed. */
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;

    private final Native nat;
    private final NotifyEndpoint endpoint;
    private final long generationPid;
    private final Consumer<Long> onReady;
    private final AgentReports reports;
    private final Consumer<String> log;
    private final RejectionLog rejections;

    public NotifyListener(Native nat, NotifyEndpoint endpoint, long generationPid, Consumer<Long> onReady,
                          AgentReports reports, Consumer<String> log) {
        this.nat = nat;
        this.endpoint = endpoint;
        this.generationPid = generationPid;
        this.onReady = onReady;
        this.reports = reports;
        this.log = log;
        this.rejections = new RejectionLog(generationPid);
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
                long n = nat.libc().recvmsg(endpoint.receiveFd(), message, MSG_CMSG_CLOEXEC);
                if (n <= 0) {
                    if (n < 0 && nat.errno() == 4 /* EINTR */) {
                        continue;
                    }
                    return; // shut down: the generation is gone, or start_server exits
                }
                long sender = readControl(control, message.getLong(40));
                byte[] bytes = new byte[(int) n];
                data.get(0, bytes, 0, bytes.length);
                String text = new String(bytes, StandardCharsets.UTF_8);
                if (sender != generationPid && !ProcessTree.isDescendant(sender, generationPid)) {
                    rejections.rejected(sender, System.nanoTime()).forEach(log);
                    continue;
                }
                reports.received(sender, text);
                if (Readiness.isReady(text)) {
                    onReady.accept(generationPid);
                }
            }
        } finally {
            endpoint.release();
            rejections.summary().ifPresent(log);
        }
    }

    /**
     * Walks the control messages: closes every descriptor passed (SCM_RIGHTS) and returns the
     * sender's pid (SCM_CREDENTIALS), or -1.
     */
    private long readControl(Pointer control, long controlLength) {
        long sender = -1;
        long offset = 0;
        // struct cmsghdr { size_t len; int level; int type; } then the data, each aligned to 8 bytes
        while (offset + 16 <= controlLength) {
            long length = control.getLong(offset);
            if (length < 16 || offset + length > controlLength) {
                break;
            }
            int level = control.getInt(offset + 8);
            int type = control.getInt(offset + 12);
            if (level == SOL_SOCKET && type == SCM_CREDENTIALS && length >= 16 + 12) {
                sender = control.getInt(offset + 16); // struct ucred { pid, uid, gid }
            } else if (level == SOL_SOCKET && type == SCM_RIGHTS) {
                for (long at = offset + 16; at + 4 <= offset + length; at += 4) {
                    nat.close(control.getInt(at));
                }
            }
            offset += (length + 7) & ~7L;
        }
        return sender;
    }
}
