package io.github.hotdeploy.launcher.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A file's whole content replaced at once: written beside it, then renamed over it.
 *
 * <p>The temporary file is created exclusively (O_CREAT|O_EXCL, which never follows a symbolic
 * link) under an unpredictable name: a name like the original's {@code FILE.PID} can be guessed
 * and planted as a link by anyone who can write to the directory, and is then written through. A
 * temporary file that cannot be written whole (a full disk) is removed at once.
 */
final class Replace {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Replace() {
    }

    /** A reader of {@code path} sees the old content or the new, never half of it. */
    static void write(Path path, CharSequence content, Charset charset) throws IOException {
        Path temporary = createTemporary(path);
        try {
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                ByteBuffer bytes = ByteBuffer.wrap(content.toString().getBytes(charset));
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
            }
            try {
                Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary); // after a failure; after the rename there is nothing there
        }
    }

    /** {@code .FILE.RANDOM.tmp} beside {@code path}, created by us alone, mode 0666 less the umask. */
    static Path createTemporary(Path path) throws IOException {
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        Path temporary = path.resolveSibling("." + path.getFileName() + "." + HexFormat.of().formatHex(random) + ".tmp");
        return Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-rw-rw-")));
    }
}
