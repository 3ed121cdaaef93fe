package io.github.hotdeploy.launcher.readiness;

import io.github.hotdeploy.launcher.os.LibC;
import io.github.hotdeploy.launcher.os.Native;
import static io.github.hotdeploy.launcher.os.SocketAddresses.*;
import io.github.hotdeploy.launcher.os.SocketAddresses;
import java.nio.file.Path;
import jnr.ffi.byref.IntByReference;

/**
 * One generation's sd_notify socket: a unix datagram socket bound at {@code notify-GEN.sock} in
 * start_server's private directory (its path is the generation's NOTIFY_SOCKET), and a second
 * socket already connected to it, handed to Java children so that the agent, which cannot create
 * a unix datagram socket without native code, only has to write(2) to a descriptor.
 *
 * <p>One socket per generation tells start_server which generation a message is about without
 * trusting its contents; the sender's credentials (SO_PASSCRED) are checked on top.
 */
public final class NotifyEndpoint implements AutoCloseable {
    private final Native nat;
    private final Path path;
    private int receiveFd;
    private int senderFd;

    private NotifyEndpoint(Native nat, Path path, int receiveFd, int senderFd) {
        this.nat = nat;
        this.path = path;
        this.receiveFd = receiveFd;
        this.senderFd = senderFd;
    }

    public static NotifyEndpoint open(Native nat, Path directory, int generation) throws NotifyException {
        LibC libc = nat.libc();
        Path path = directory.resolve("notify-" + generation + ".sock");
        byte[] address = address(path);
        int receiver = libc.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (receiver < 0) {
            throw new NotifyException("notify socket: " + nat.error("socket").getMessage());
        }
        int sender = -1;
        try {
            if (libc.setsockopt(receiver, SOL_SOCKET, SO_PASSCRED, new IntByReference(1), 4) != 0) {
                throw new NotifyException("notify socket: " + nat.error("SO_PASSCRED").getMessage());
            }
            if (libc.bind(receiver, address, address.length) != 0) {
                throw new NotifyException("notify socket " + path + ": " + nat.error("bind").getMessage());
            }
            sender = libc.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            if (sender < 0 || libc.connect(sender, address, address.length) != 0) {
                throw new NotifyException("notify socket " + path + ": " + nat.error("connect").getMessage());
            }
            return new NotifyEndpoint(nat, path, receiver, sender);
        } catch (NotifyException e) {
            nat.close(receiver);
            if (sender >= 0) {
                nat.close(sender);
            }
            nat.unlink(path.toString());
            throw e;
        }
    }

    private static byte[] address(Path path) throws NotifyException {
        byte[] address = SocketAddresses.unix(path.toString());
        if (address == null) {
            throw new NotifyException("notify socket path too long: " + path);
        }
        return address;
    }

    /** The value of NOTIFY_SOCKET for this generation. */
    public Path path() {
        return path;
    }

    int receiveFd() {
        return receiveFd;
    }

    /** The connected socket to place in the child; -1 once handed over. */
    public int senderFd() {
        return senderFd;
    }

    /** Drops our copy of the sending end once the child has its own. */
    public void senderHandedOver() {
        if (senderFd >= 0) {
            nat.close(senderFd);
            senderFd = -1;
        }
    }

    /** Wakes the listener (shutdown makes its recvmsg return), then removes the socket. */
    @Override
    public synchronized void close() {
        senderHandedOver();
        if (receiveFd >= 0) {
            nat.libc().shutdown(receiveFd, SHUT_RDWR);
            nat.unlink(path.toString());
        }
    }

    /** Called by the listener when it has stopped reading, so the descriptor cannot be reused under it. */
    synchronized void release() {
        if (receiveFd >= 0) {
            nat.close(receiveFd);
            receiveFd = -1;
        }
    }

    public static final class NotifyException extends Exception {
        public NotifyException(String message) {
            super(message);
        }
    }
}
