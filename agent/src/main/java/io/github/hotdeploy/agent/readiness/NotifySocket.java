package io.github.hotdeploy.agent.readiness;

import io.github.hotdeploy.agent.bootstrap.JdkInternals;
import io.github.hotdeploy.protocol.Readiness;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The datagram socket start_server passes at fd {@code SERVER_STARTER_NOTIFY_FD}, already
 * connected to its notify socket: one write(2) is one sd_notify datagram. Absent under the Perl
 * original, which has no readiness protocol.
 */
public final class NotifySocket {

    private final int fd;
    // Held for the JVM's life: on JDK 8 a collected FileOutputStream closes its fd.
    private final FileOutputStream out;

    private NotifySocket(int fd, FileOutputStream out) {
        this.fd = fd;
        this.out = out;
    }

    /**
     * @return null when the variable is absent
     * @throws IOException naming the problem when it is set but unusable
     */
    public static NotifySocket fromEnvironment(JdkInternals jdk) throws IOException {
        String value = System.getenv(Readiness.NOTIFY_FD_ENV);
        if (value == null || value.isEmpty()) {
            return null;
        }
        int fd;
        try {
            fd = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IOException(Readiness.NOTIFY_FD_ENV + "='" + value + "' is not an fd number");
        }
        if (fd < 0 || jdk.socketType(fd) != JdkInternals.SOCK_DGRAM) {
            throw new IOException(Readiness.NOTIFY_FD_ENV + "=" + fd + " is not a datagram socket");
        }
        return new NotifySocket(fd, new FileOutputStream(jdk.newFd(fd)));
    }

    public void send(String message) throws IOException {
        // A single write: a datagram must not be split.
        out.write(message.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "fd " + fd;
    }
}
