package io.github.hotdeploy.launcher.systemd;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sockets systemd (or {@code systemd-socket-activate}) passes to a socket-activated service:
 * {@code LISTEN_FDS} of them from fd 3 on, for the process {@code LISTEN_PID}, named in
 * {@code LISTEN_FDNAMES} (colon-separated). As sd_listen_fds, variables meant for another
 * process (a parent's, left in the environment) pass nothing.
 */
public final class ListenFds {
    public static final String LISTEN_FDS = "LISTEN_FDS";
    public static final String LISTEN_PID = "LISTEN_PID";
    public static final String LISTEN_FDNAMES = "LISTEN_FDNAMES";
    /** SD_LISTEN_FDS_START. */
    public static final int FIRST_FD = 3;

    /** A passed descriptor and its name ("" when systemd gave none). */
    public record Passed(int fd, String name) {
    }

    private ListenFds() {
    }

    /** The sockets passed to process {@code pid}, in order: empty when there are none for it. */
    public static List<Passed> parse(Map<String, String> env, long pid) throws Invalid {
        String forPid = env.get(LISTEN_PID);
        String count = env.get(LISTEN_FDS);
        if (forPid == null || count == null) {
            return List.of();
        }
        try {
            if (Long.parseLong(forPid.trim()) != pid) {
                return List.of();
            }
        } catch (NumberFormatException e) {
            throw new Invalid("LISTEN_PID is not a pid: '" + forPid + "'");
        }
        int n;
        try {
            n = Integer.parseInt(count.trim());
        } catch (NumberFormatException e) {
            throw new Invalid("LISTEN_FDS is not a number of sockets: '" + count + "'");
        }
        if (n < 0 || n > 1024) {
            throw new Invalid("LISTEN_FDS is not a number of sockets: '" + count + "'");
        }
        String namesValue = env.get(LISTEN_FDNAMES);
        String[] names = namesValue == null || namesValue.isEmpty() ? new String[0] : namesValue.split(":", -1);
        if (names.length > n) {
            throw new Invalid("LISTEN_FDNAMES names " + names.length + " sockets but LISTEN_FDS passes " + n);
        }
        List<Passed> passed = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            passed.add(new Passed(FIRST_FD + i, i < names.length ? names[i] : ""));
        }
        return passed;
    }

    /** The variables say something impossible; the message is the one-line error. */
    public static final class Invalid extends Exception {
        public Invalid(String message) {
            super(message);
        }
    }
}
