package io.github.hotdeploy.launcher.files;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** A file's whole content replaced at once: written beside it, then renamed over it. */
final class Replace {
    private Replace() {
    }

    /** A reader of {@code path} sees the old content or the new, never half of it. */
    static void write(Path path, Path temporary, CharSequence content, Charset charset) throws IOException {
        Files.writeString(temporary, content, charset);
        try {
            Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
