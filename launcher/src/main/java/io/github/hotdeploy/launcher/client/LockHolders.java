package io.github.hotdeploy.launcher.client;

import java.util.ArrayList;
import java.util.List;

/**
 * Who holds flock(2) locks on a file, read from /proc/locks: the kernel's word on which process
 * took the lock that a pid file's writer holds for its whole life. For flock locks the pid shown
 * is the process that took the lock (in the reader's pid namespace; 0 or absent if outside it).
 */
final class LockHolders {
    private LockHolders() {
    }

    /**
     * The pids holding (not waiting for) a FLOCK lock on inode {@code inode} in {@code locks},
     * the text of /proc/locks: {@code "1: FLOCK  ADVISORY  WRITE 1234 fe:00:2155081 0 EOF"}; waiters
     * are listed with {@code "->"} and are skipped.
     */
    static List<Long> of(String locks, long inode) {
        List<Long> holders = new ArrayList<>();
        for (String line : locks.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 6 || f[1].equals("->") || !f[1].equals("FLOCK")) {
                continue;
            }
            String[] device = f[5].split(":");
            try {
                if (device.length == 3 && Long.parseLong(device[2]) == inode) {
                    holders.add(Long.parseLong(f[4]));
                }
            } catch (NumberFormatException e) {
                // not a line of this format
            }
        }
        return holders;
    }
}
