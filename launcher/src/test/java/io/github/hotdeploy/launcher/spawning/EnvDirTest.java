package io.github.hotdeploy.launcher.spawning;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvDirTest {
    @TempDir
    Path dir;

    @Test
    void firstLinesByteForByteUpToANulAndEmptyFilesSkipped() throws Exception {
        Files.write(dir.resolve("BINARY"), new byte[] {(byte) 0xff, 'a', (byte) 0x80, '\n', 'x'});
        Files.write(dir.resolve("NUL"), new byte[] {'a', 0, 'b'});
        Files.write(dir.resolve("EMPTY"), new byte[0]);
        Files.write(dir.resolve("BLANK"), new byte[] {'\n'});
        Files.write(dir.resolve(".hidden"), new byte[] {'h'});

        EnvDir.Snapshot read = EnvDir.read(dir.toString());

        assertThat(read.problems()).isEmpty();
        assertThat(read.variables()).containsOnlyKeys("BINARY", "NUL", "BLANK");
        assertThat(EnvBytes.bytes(read.variables().get("BINARY"))).containsExactly(0xff, 'a', 0x80);
        assertThat(read.variables()).containsEntry("NUL", "a").containsEntry("BLANK", "");
    }

    @Test
    void aValueUpToTheKernelsLimitPassesOneByteMoreIsAProblemNamingTheFile() throws Exception {
        int fits = EnvDir.MAX_VARIABLE_BYTES - "FITS".length() - 2; // NAME=VALUE and its NUL
        Files.writeString(dir.resolve("FITS"), "v".repeat(fits) + "\n");
        Files.writeString(dir.resolve("OVER"), "v".repeat(fits + 1));

        EnvDir.Snapshot read = EnvDir.read(dir.toString());

        assertThat(read.variables().get("FITS")).hasSize(fits);
        assertThat(read.variables()).doesNotContainKey("OVER");
        assertThat(read.problems()).containsExactly("envdir file " + dir.resolve("OVER")
                + ": its first line is longer than the kernel takes for a variable (131072 bytes with its name)");
    }

    @Test
    void environParsingKeepsEveryByteAndTheFirstOfTwins() {
        byte[] environ = {'A', '=', (byte) 0xe9, 0, 'B', '=', '=', 'x', 0, 'A', '=', '2', 0, 'J', 'U', 'N', 'K', 0};
        assertThat(EnvBytes.parse(environ)).containsExactly(java.util.Map.entry("A", "\u00e9"),
                java.util.Map.entry("B", "=x"));
        assertThat(EnvBytes.bytes(EnvBytes.parse(environ).get("A"))).containsExactly(0xe9);
    }
}
