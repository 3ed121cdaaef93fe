package io.github.hotdeploy.launcher.classcache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The name of a cache: a digest of everything that makes it valid. The runtime (its path,
 * release file and libjvm), the command line and the JVM option variables, the child's directory,
 * and every jar of the class path with its size and modification time, the jars a -jar jar's
 * manifest adds included. A deploy that replaces a jar changes the key, so the next generation
 * records a new cache instead of mapping one the JVM would reject.
 */
public final class CacheKey {

    /** A class path entry the JVM cannot archive from. */
    public static final class Uncacheable extends Exception {
        public Uncacheable(String message) {
            super(message);
        }
    }

    private CacheKey() {
    }

    /**
     * @param argv the command as the child gets it, without the cache's own options
     * @param directory the child's directory (relative class path entries start there)
     * @return 40 hex digits
     */
    public static String of(Jdk jdk, List<String> argv, Map<String, String> environment, Path directory,
                            JavaCommand command) throws Uncacheable {
        StringBuilder b = new StringBuilder("start_server class cache 1\n").append(jdk.identity()).append('\n');
        b.append(directory).append('\n');
        argv.forEach(a -> b.append(a).append('\0'));
        b.append('\n');
        for (String variable : JavaCommand.OPTION_VARIABLES) {
            b.append(variable).append('=').append(environment.getOrDefault(variable, "")).append('\n');
        }
        for (Path jar : jars(command, directory)) {
            try {
                BasicFileAttributes a = Files.readAttributes(jar, BasicFileAttributes.class);
                b.append(jar).append(' ').append(a.size()).append(' ').append(a.lastModifiedTime().toMillis()).append('\n');
            } catch (IOException e) {
                b.append(jar).append(" missing\n"); // the JVM skips it too
            }
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The class path's jars, in order, as the JVM would open them. */
    static List<Path> jars(JavaCommand command, Path directory) throws Uncacheable {
        List<Path> jars = new ArrayList<>();
        for (String entry : command.classPath()) {
            if (entry.equals("*") || entry.endsWith("/*")) {
                Path dir = directory.resolve(entry.substring(0, entry.length() - 1));
                List<Path> found = new ArrayList<>();
                try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
                    for (Path p : s) {
                        String name = p.getFileName().toString();
                        if (name.endsWith(".jar") || name.endsWith(".JAR")) {
                            found.add(p);
                        }
                    }
                } catch (IOException e) {
                    continue;
                }
                found.sort(null);
                jars.addAll(found);
                continue;
            }
            Path path = directory.resolve(entry);
            if (Files.isDirectory(path)) {
                if (nonEmpty(path)) {
                    throw new Uncacheable("the class path has a directory with files in it (" + entry
                            + "); the JVM archives classes from jars only");
                }
                continue;
            }
            jars.add(path);
        }
        if (command.jar() != null) {
            jars.addAll(manifestClassPath(directory.resolve(command.jar())));
        }
        return jars;
    }

    private static boolean nonEmpty(Path dir) {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            return s.iterator().hasNext();
        } catch (IOException e) {
            return true;
        }
    }

    /** The Main-Class of a jar's manifest, or null (no manifest, no such attribute, not a jar). */
    static String manifestMainClass(Path jar) {
        return manifestAttribute(jar, "Main-Class");
    }

    private static List<Path> manifestClassPath(Path jar) {
        List<Path> extra = new ArrayList<>();
        String value = manifestAttribute(jar, "Class-Path");
        try {
            for (String entry : value == null ? new String[0] : value.trim().split("\\s+")) {
                if (!entry.isEmpty()) {
                    extra.add(jar.toAbsolutePath().getParent().resolve(entry));
                }
            }
        } catch (RuntimeException e) {
            // an entry that is no path: the JVM cannot use it either
        }
        return extra;
    }

    /** A main attribute of a jar's manifest, or null: none, or not a jar the JVM can read either (its own error will say so). */
    private static String manifestAttribute(Path jar, String name) {
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            Manifest manifest = file.getManifest();
            return manifest == null ? null : manifest.getMainAttributes().getValue(name);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
