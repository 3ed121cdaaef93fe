package io.github.hotdeploy.agent.adoption;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads a descriptor's O_NONBLOCK flag. The JDK can set it but has no getter, and the agent needs
 * it before dup2: O_NONBLOCK belongs to the open file description, which dup2 swaps for the
 * inherited one. Linux's /proc/self/fdinfo/N has a "flags:" line in octal.
 */
public final class FdFlags {

    private static final int O_NONBLOCK = 04000; // generic Linux value (x86, arm, riscv, ...)

    private FdFlags() {
    }

    public static boolean isNonBlocking(int fd) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(
                new FileInputStream("/proc/self/fdinfo/" + fd), StandardCharsets.US_ASCII));
        try {
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.startsWith("flags:")) {
                    return isNonBlocking(line);
                }
            }
        } finally {
            reader.close();
        }
        throw new IOException("no flags line in /proc/self/fdinfo/" + fd);
    }

    static boolean isNonBlocking(String flagsLine) throws IOException {
        try {
            int flags = Integer.parseInt(flagsLine.substring("flags:".length()).trim(), 8);
            return (flags & O_NONBLOCK) != 0;
        } catch (NumberFormatException e) {
            throw new IOException("unreadable fdinfo line '" + flagsLine + "'");
        }
    }
}
