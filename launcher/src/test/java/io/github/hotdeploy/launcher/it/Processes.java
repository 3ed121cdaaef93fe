package io.github.hotdeploy.launcher.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** What /proc and kill(1) can tell and do about processes, for the tests' own bookkeeping. */
final class Processes {
    private Processes() {
    }

    /** kill -s NAME pid: the JDK can only send TERM and KILL itself. */
    static void signal(long pid, String name) {
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

    /** The state letter of /proc/PID/stat (R, S, Z, ...), empty once the pid is gone. */
    static Optional<Character> state(long pid) {
        return stat(pid).map(fields -> fields.get(0).charAt(0));
    }

    static Optional<Long> parent(long pid) {
        return stat(pid).map(fields -> Long.parseLong(fields.get(1)));
    }

    /** Fields of /proc/PID/stat after the command name: state, ppid, pgrp, session, ... */
    private static Optional<List<String>> stat(long pid) {
        try {
            String text = Files.readString(Paths.get("/proc", Long.toString(pid), "stat"));
            // The command name is in parentheses and may itself hold spaces or parentheses.
            String rest = text.substring(text.lastIndexOf(')') + 2).trim();
            return Optional.of(List.of(rest.split(" ")));
        } catch (IOException | RuntimeException gone) {
            return Optional.empty();
        }
    }

    /** Children of {@code pid} that are zombies: exited, never reaped. */
    static List<Long> zombieChildren(long pid) {
        List<Long> zombies = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Paths.get("/proc"))) {
            entries.map(p -> p.getFileName().toString())
                    .filter(name -> name.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong)
                    .forEach(candidate -> {
                        Optional<List<String>> fields = stat(candidate);
                        if (fields.isPresent() && fields.get().get(0).equals("Z")
                                && fields.get().get(1).equals(Long.toString(pid))) {
                            zombies.add(candidate);
                        }
                    });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return zombies;
    }

    /** True while the process waits in a write to a full pipe. */
    static boolean blockedWriting(long pid) {
        try {
            String wchan = Files.readString(Paths.get("/proc", Long.toString(pid), "wchan"));
            if (wchan.contains("pipe_write")) {
                return true;
            }
            // Without kernel symbols wchan says 0: the syscall under way then tells (write is 1 on x86_64, 64 on arm64).
            String syscall = Files.readString(Paths.get("/proc", Long.toString(pid), "syscall")).split(" ")[0];
            return syscall.equals(System.getProperty("os.arch").equals("aarch64") ? "64" : "1");
        } catch (IOException | RuntimeException gone) {
            return false;
        }
    }

    static boolean alive(long pid) {
        // A zombie has exited: it counts as gone for every question the tests ask.
        return state(pid).map(s -> s != 'Z').orElse(false);
    }

    /** Kills a process and every descendant it has now; safe to call on one already gone. */
    static void killTree(ProcessHandle root) {
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
