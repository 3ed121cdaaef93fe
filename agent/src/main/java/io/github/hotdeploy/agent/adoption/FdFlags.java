package io.github.hotdeploy.agent.adoption;

import java.io.FileInputStream;
import java.io.IOException;
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
        // Bytes, not a Reader: the charset decoder classes a Reader loads cost start-up time on
        // every adoption, and the file is a few short ASCII lines.
        byte[] buffer = new byte[1024];
        int length = 0;
        FileInputStream in = new FileInputStream("/proc/self/fdinfo/" + fd);
        try {
            for (int n; length < buffer.length && (n = in.read(buffer, length, buffer.length - length)) > 0; ) {
                length += n;
            }
        } finally {
            in.close();
        }
        String text = new String(buffer, 0, length, StandardCharsets.ISO_8859_1);
        for (int start = 0; start < text.length(); ) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            String line = text.substring(start, end);
            if (line.startsWith("flags:")) {
                return isNonBlocking(line);
            }
            start = end + 1;
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
