package io.github.hotdeploy.testsupport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What kill(1) does to the processes a test started; what /proc tells about them is {@link ProcFs}. */
public final class Processes {
    private Processes() {
    }

    /** kill -s NAME pid: the JDK can only send TERM and KILL itself. */
    public static void signal(long pid, String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(pid))
                    .redirectErrorStream(true).start();
            String out = new String(kill.getInputStream().readAllBytes());
            if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -s " + name + " " + pid + " failed: " + out.trim());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Kills a process and every descendant it has now; safe to call on one already gone. */
    public static void killTree(ProcessHandle root) {
        // Descendants first collected, then killed: once the root dies they are re-parented and
        // no longer findable from it. ProcessHandle pins (pid, start time), so a pid recycled
        // meanwhile is never hit. The root is stopped first: a start_server retrying or restarting
        // could otherwise spawn a generation between the listing and the kill, left running.
        if (root.isAlive()) {
            try {
                signal(root.pid(), "STOP");
            } catch (IllegalStateException gone) {
                // exited meanwhile: nothing more will be spawned
            }
        }
        List<ProcessHandle> all = new ArrayList<>();
        all.add(root);
        root.descendants().forEach(all::add);
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle handle : all) {
            try {
                handle.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // best effort: a process we cannot reap is reported by the caller's checks
            }
        }
    }
}
