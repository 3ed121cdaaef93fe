package io.github.hotdeploy.launcher.spawning;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the children's environment is held: as the kernel has it, bytes, each carried by one char
 * (ISO-8859-1, which maps all 256 byte values to chars and back), so that whatever bytes
 * start_server inherited or read from an envdir file reach the child unchanged. A Java String
 * decoded the usual way cannot: System.getenv() and a UTF-8 reader turn bytes that are not valid
 * text into U+FFFD for good.
 *
 * <p>Every value in a child's environment map is such a byte string. Text from Java (options,
 * paths, SERVER_STARTER_PORT) enters it through {@link #fromText}, in the platform's encoding
 * for names and arguments (sun.jnu.encoding), as the JVM would pass it. A NUL byte ends a
 * variable, in the kernel's environment and so here: what follows it in an envdir file never
 * reaches the child, as with the original.
 */
public final class EnvBytes {
    /** The charset the JVM uses for arguments, names and the environment. */
    static final Charset PLATFORM = platform();

    private EnvBytes() {
    }

    private static Charset platform() {
        String name = System.getProperty("sun.jnu.encoding");
        try {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }

    /** The byte string of {@code bytes}. */
    public static String of(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    public static byte[] bytes(String byteString) {
        return byteString.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Java text as the bytes the JVM would give a child for it. */
    public static String fromText(String text) {
        return of(text.getBytes(PLATFORM));
    }

    /**
     * A byte string as Java text, the way the JVM would decode it, or null when its bytes are not
     * text in that charset (decoding would change them).
     */
    public static String toText(String byteString) {
        byte[] bytes = bytes(byteString);
        String text = new String(bytes, PLATFORM);
        return java.util.Arrays.equals(text.getBytes(PLATFORM), bytes) ? text : null;
    }

    /**
     * start_server's own environment, byte for byte, from /proc/self/environ (what the kernel
     * gave it at exec); System.getenv() converted where /proc cannot be read.
     */
    public static Map<String, String> inherited() {
        try {
            return parse(Files.readAllBytes(Path.of("/proc/self/environ")));
        } catch (IOException | RuntimeException e) {
            Map<String, String> env = new LinkedHashMap<>();
            System.getenv().forEach((k, v) -> env.put(fromText(k), fromText(v)));
            return env;
        }
    }

    /** NUL-separated NAME=VALUE entries; an entry without '=' is not a variable. */
    static Map<String, String> parse(byte[] environ) {
        Map<String, String> env = new LinkedHashMap<>();
        String all = of(environ);
        for (String entry : all.split("\0")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                env.putIfAbsent(entry.substring(0, eq), entry.substring(eq + 1)); // the first wins, as getenv's
            }
        }
        return env;
    }
}
