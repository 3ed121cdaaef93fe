package io.github.hotdeploy.agent.adoption;

import io.github.hotdeploy.protocol.ServerStarterPort;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Who listens on a port this JVM wants to bind: a process of an earlier generation of the same
 * start_server (its SERVER_STARTER_PORT is ours, its SERVER_STARTER_GENERATION lower), or not. Read
 * from /proc only when a bind of the application's own finds its port taken, never otherwise (the
 * kernel prints /proc/net/tcp by walking its whole connection table).
 */
final class PreviousGeneration {

    private static final String LISTEN = "0A";

    private PreviousGeneration() {
    }

    /** Whether this JVM belongs to a generation after the first one: only then can an earlier one hold a port. */
    static boolean possible() {
        return System.getenv(ServerStarterPort.ENV) != null
                && number(System.getenv(ServerStarterPort.GENERATION_ENV)) > 1;
    }

    /** The pid of an earlier generation's process listening on {@code port}, or -1. */
    static long holding(int port) {
        String ours = System.getenv(ServerStarterPort.ENV);
        long generation = number(System.getenv(ServerStarterPort.GENERATION_ENV));
        if (ours == null || generation <= 1) {
            return -1;
        }
        List<String> links = new ArrayList<String>();
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            for (long inode : listeningInodes(read(table), port)) {
                links.add("socket:[" + inode + "]");
            }
        }
        if (links.isEmpty()) {
            return -1;
        }
        File[] processes = new File("/proc").listFiles();
        if (processes == null) {
            return -1;
        }
        for (File process : processes) {
            long pid = number(process.getName());
            if (pid <= 0 || !holdsOneOf(process, links)) {
                continue;
            }
            String environ = read(process.getPath() + "/environ");
            String theirs = variable(environ, ServerStarterPort.ENV);
            long theirGeneration = number(variable(environ, ServerStarterPort.GENERATION_ENV));
            if (ours.equals(theirs) && theirGeneration > 0 && theirGeneration < generation) {
                return pid;
            }
        }
        return -1;
    }

    static boolean alive(long pid) {
        return new File("/proc/" + pid).exists();
    }

    /** Inodes of the LISTEN sockets on {@code port} in one /proc/net/tcp{,6} text. */
    static List<Long> listeningInodes(String table, int port) {
        List<Long> inodes = new ArrayList<Long>();
        String hexPort = ":" + hex4(port);
        for (String line : table.split("\n")) {
            String[] fields = fields(line);
            if (fields.length >= 10 && fields[1].endsWith(hexPort) && LISTEN.equals(fields[3])) {
                long inode = number(fields[9]);
                if (inode > 0) {
                    inodes.add(inode);
                }
            }
        }
        return inodes;
    }

    /** Space-separated fields (no regex: the agent loads java.util.regex nowhere). */
    private static String[] fields(String line) {
        List<String> fields = new ArrayList<String>();
        int i = 0;
        while (i < line.length()) {
            while (i < line.length() && line.charAt(i) == ' ') {
                i++;
            }
            int start = i;
            while (i < line.length() && line.charAt(i) != ' ') {
                i++;
            }
            if (i > start) {
                fields.add(line.substring(start, i));
            }
        }
        return fields.toArray(new String[0]);
    }

    private static String hex4(int port) {
        String hex = Integer.toHexString(port).toUpperCase(java.util.Locale.ROOT);
        while (hex.length() < 4) {
            hex = "0" + hex;
        }
        return hex;
    }

    private static boolean holdsOneOf(File process, List<String> links) {
        File[] fds = new File(process, "fd").listFiles();
        if (fds == null) {
            return false;
        }
        for (File fd : fds) {
            try {
                if (links.contains(Files.readSymbolicLink(fd.toPath()).toString())) {
                    return true;
                }
            } catch (IOException | RuntimeException gone) {
                // closed meanwhile
            }
        }
        return false;
    }

    /** NAME's value in a NUL-separated environ, or null. */
    static String variable(String environ, String name) {
        String prefix = name + "=";
        for (String entry : environ.split("\0")) {
            if (entry.startsWith(prefix)) {
                return entry.substring(prefix.length());
            }
        }
        return null;
    }

    private static long number(String text) {
        if (text == null) {
            return -1;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String read(String path) {
        InputStream in = null;
        try {
            in = new FileInputStream(path);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
            }
            return new String(out.toByteArray(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        } finally {
            if (in != null) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // read already
                }
            }
        }
    }
}
