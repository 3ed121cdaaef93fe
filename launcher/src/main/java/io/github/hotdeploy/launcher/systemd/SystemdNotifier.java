package io.github.hotdeploy.launcher.systemd;

import io.github.hotdeploy.launcher.os.Errno;
import io.github.hotdeploy.launcher.os.Native;
import io.github.hotdeploy.launcher.os.SocketAddresses;
import io.github.hotdeploy.launcher.supervision.Observer;
import io.github.hotdeploy.launcher.supervision.Snapshot;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Tells systemd how start_server is doing, over the socket systemd names in {@code NOTIFY_SOCKET}
 * ({@code Type=notify}): what {@link SystemdMessages} makes of each change, and {@code WATCHDOG=1}
 * on the supervisor's heartbeat when {@code WATCHDOG_USEC} asks for it.
 *
 * <p>Each datagram is sent to the address, as sd_notify does, rather than over a connected
 * socket: systemd re-binds its socket when it re-executes itself. Sending never blocks the
 * supervisor's loop: a full queue drops the message, with one warning.
 */
public final class SystemdNotifier implements Observer, AutoCloseable {
    /** sd_notify's variables; children never see them (nor those of socket activation). */
    public static final String NOTIFY_SOCKET = "NOTIFY_SOCKET";
    public static final String WATCHDOG_USEC = "WATCHDOG_USEC";
    public static final String WATCHDOG_PID = "WATCHDOG_PID";

    private final Native nat;
    private final byte[] address;
    private final String where;
    private final Consumer<String> log;
    private int fd;
    private Snapshot last;
    private boolean failing;

    private SystemdNotifier(Native nat, byte[] address, String where, int fd, Consumer<String> log) {
        this.nat = nat;
        this.address = address;
        this.where = where;
        this.fd = fd;
        this.log = log;
    }

    /**
     * A notifier for the NOTIFY_SOCKET in {@code env}, or null when there is none or it cannot be
     * used (then with a warning: systemd will time the start out, and the log says why).
     */
    public static SystemdNotifier open(Native nat, Map<String, String> env, Consumer<String> log) {
        String value = env.get(NOTIFY_SOCKET);
        if (value == null || value.isEmpty()) {
            return null;
        }
        byte[] address = value.startsWith("@") ? SocketAddresses.unixAbstract(value.substring(1))
                : value.startsWith("/") ? SocketAddresses.unix(value) : null;
        if (address == null) {
            log.accept("start_server: warning: NOTIFY_SOCKET=" + value + " is not a unix socket path or @name; "
                    + "systemd will not hear from start_server");
            return null;
        }
        int fd = nat.libc().socket(SocketAddresses.AF_UNIX, SocketAddresses.SOCK_DGRAM | SocketAddresses.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            log.accept("start_server: warning: cannot create a socket to notify systemd: " + nat.strerror(nat.errno()));
            return null;
        }
        return new SystemdNotifier(nat, address, value, fd, log);
    }

    /**
     * How often systemd's watchdog wants to hear from start_server: half of WATCHDOG_USEC, as
     * sd_watchdog_enabled advises, or null when it is off or meant for another process.
     */
    public static Duration watchdogInterval(Map<String, String> env, long pid) {
        String usec = env.get(WATCHDOG_USEC);
        String forPid = env.get(WATCHDOG_PID);
        if (usec == null) {
            return null;
        }
        try {
            if (forPid != null && Long.parseLong(forPid.trim()) != pid) {
                return null;
            }
            long micros = Long.parseLong(usec.trim());
            return micros <= 0 ? null : Duration.ofNanos(micros * 1000 / 2);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public void changed(Snapshot snapshot) {
        String message = SystemdMessages.between(last, snapshot);
        last = snapshot;
        if (!message.isEmpty()) {
            send(message);
        }
    }

    @Override
    public void heartbeat() {
        send(SystemdMessages.WATCHDOG);
    }

    void send(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        long sent = nat.libc().sendto(fd, bytes, bytes.length, SocketAddresses.MSG_DONTWAIT | SocketAddresses.MSG_NOSIGNAL,
                address, address.length);
        if (sent == bytes.length) {
            failing = false;
            return;
        }
        int errno = nat.errno();
        if (!failing) {
            failing = true;
            log.accept("start_server: warning: cannot notify systemd at " + where + ": " + nat.strerror(errno)
                    + (errno == Errno.EAGAIN ? " (its queue is full; the message is dropped)" : ""));
        }
    }

    @Override
    public void close() {
        if (fd >= 0) {
            nat.close(fd);
            fd = -1;
        }
    }
}
