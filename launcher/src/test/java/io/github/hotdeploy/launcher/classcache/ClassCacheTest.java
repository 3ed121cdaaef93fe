package io.github.hotdeploy.launcher.classcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache directory's bookkeeping with real files; the JVMs are stood in for by writing their files. */
class ClassCacheTest {
    private static final long PID = 4242;

    @TempDir
    Path tmp;

    private final List<String> log = new ArrayList<>();

    /** A runtime as the cache sees one: a release file beside bin/java. */
    private Path java25() throws IOException {
        Path home = tmp.resolve("jdk");
        if (!Files.exists(home)) {
            Files.createDirectories(home.resolve("bin"));
            Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"25.0.3\"\n");
            Files.createFile(home.resolve("bin/java"));
        }
        return home.resolve("bin/java");
    }

    private Path app() throws IOException {
        Path jar = tmp.resolve("app.jar");
        if (!Files.exists(jar)) {
            Files.write(jar, new byte[] {1, 2, 3});
        }
        return jar;
    }

    private ClassCache.Prepared spawn(ClassCache cache, int generation, long pid) throws IOException {
        ClassCache.Prepared p = cache.prepare(generation, java25(), List.of("java", "-jar", app().toString()), Map.of(), tmp, true);
        p.spawned(pid);
        return p;
    }

    private static Path file(String option) {
        return Path.of(option.substring(option.indexOf('=') + 1));
    }

    @Test
    void aRecordingBecomesTheCacheOnlyAfterANormalExitAndTheNextGenerationBootsFromIt() throws Exception {
        ClassCache cache = ClassCache.open(tmp.resolve("cache"), 1 << 30, PID, log::add);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.directory()))).isEqualTo("rwx------");

        ClassCache.Prepared g1 = spawn(cache, 1, 101);
        assertThat(g1.options().get(0)).startsWith("-XX:AOTCacheOutput=").endsWith(".4242-1.part");
        assertThat(spawn(cache, 2, 102).options()).as("generation 1 still records").isEmpty();

        Path part = file(g1.options().get(0));
        Files.write(part, new byte[100]);
        cache.exited(101, 143 << 8); // exit status 143 after TERM: a normal exit
        assertThat(spawn(cache, 3, 103).options()).singleElement().asString().startsWith("-XX:AOTCache=").endsWith(".aot");
        assertThat(part).doesNotExist();
        assertThat(log).anyMatch(l -> l.startsWith("start_server: class cache: recorded "));
    }

    @Test
    void aRecordingKilledMidWriteIsDiscardedAndRecordedAgainANewJarChangesTheKey() throws Exception {
        ClassCache cache = ClassCache.open(tmp.resolve("cache"), 1 << 30, PID, log::add);
        ClassCache.Prepared g1 = spawn(cache, 1, 101);
        Path part = file(g1.options().get(0));
        Files.write(part, new byte[100]);
        cache.exited(101, 9); // KILL
        assertThat(part).doesNotExist();
        ClassCache.Prepared g2 = spawn(cache, 2, 102);
        assertThat(g2.options().get(0)).startsWith("-XX:AOTCacheOutput=");
        Files.write(file(g2.options().get(0)), new byte[100]);
        cache.exited(102, 0);
        String sealed = spawn(cache, 3, 103).options().get(0);

        Files.write(app(), new byte[] {1, 2, 3, 4}); // a deploy
        assertThat(spawn(cache, 4, 104).options().get(0)).startsWith("-XX:AOTCacheOutput=")
                .doesNotContain(file(sealed).getFileName().toString().replace(".aot", ""));
    }

    @Test
    void aCacheChangedSinceItWasSealedIsNeverHandedToAJvmButRecordedAgain() throws Exception {
        ClassCache cache = ClassCache.open(tmp.resolve("cache"), 1 << 30, PID, log::add);
        ClassCache.Prepared g1 = spawn(cache, 1, 101);
        Files.write(file(g1.options().get(0)), new byte[1000]);
        cache.exited(101, 0);
        Path sealed = file(spawn(cache, 2, 102).options().get(0));

        Files.write(sealed, new byte[500]); // truncated: JDK 17 would die of SIGBUS mapping it
        ClassCache fresh = ClassCache.open(tmp.resolve("cache"), 1 << 30, PID, log::add);
        assertThat(spawn(fresh, 3, 103).options().get(0)).startsWith("-XX:AOTCacheOutput=");
        assertThat(sealed).doesNotExist();

        ClassCache.Prepared g3 = spawn(fresh, 4, 104);
        assertThat(g3.options()).as("generation 3 records").isEmpty();
        ClassCache again = ClassCache.open(tmp.resolve("cache2"), 1 << 30, PID, log::add);
        ClassCache.Prepared r = spawn(again, 1, 201);
        Files.write(file(r.options().get(0)), new byte[1000]);
        again.exited(201, 0);
        Path other = file(spawn(again, 2, 202).options().get(0));
        byte[] flipped = new byte[1000];
        flipped[700] = 1; // same size, different bytes: JDK 25 would crash on it
        Files.write(other, flipped);
        ClassCache restarted = ClassCache.open(tmp.resolve("cache2"), 1 << 30, PID, log::add);
        assertThat(spawn(restarted, 3, 203).options().get(0)).startsWith("-XX:AOTCacheOutput=");
        assertThat(log).anyMatch(l -> l.contains("is not what start_server recorded"));
    }

    @Test
    void aCleanExitWithoutACacheIsNotRetriedForThatCommand() throws Exception {
        ClassCache cache = ClassCache.open(tmp.resolve("cache"), 1 << 30, PID, log::add);
        spawn(cache, 1, 101);
        cache.exited(101, 0);
        assertThat(spawn(cache, 2, 102).options()).isEmpty();
        assertThat(log).anyMatch(l -> l.contains("exited without writing its cache"));
    }

    @Test
    void aDirectoryOpenToOthersOrOfAnotherUserTurnsTheCacheOffWithOneLine() throws Exception {
        Path shared = Files.createDirectory(tmp.resolve("shared"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        assertThat(ClassCache.open(shared, 1 << 30, PID, log::add)).isNull();
        assertThat(log).singleElement().asString().contains("is open to other users (mode rwxr-xr-x)");
    }

    @Test
    void theDirectoryIsKeptUnderItsBoundLeastRecentlyUsedFirstAndOurOldRecordingsGo() throws Exception {
        Path dir = tmp.resolve("cache");
        ClassCache.open(dir, 250, PID, log::add);
        Path oldest = Files.write(dir.resolve("a.aot"), new byte[100]);
        Path middle = Files.write(dir.resolve("b.jsa"), new byte[100]);
        Path newest = Files.write(dir.resolve("c.aot"), new byte[100]);
        Path leftover = Files.write(dir.resolve("d." + PID + "-7.part"), new byte[10]);
        Path othersRecording = Files.write(dir.resolve("e.999-1.part"), new byte[10]);
        Files.setLastModifiedTime(oldest, FileTime.fromMillis(1_000));
        Files.setLastModifiedTime(middle, FileTime.fromMillis(2_000));
        ClassCache.open(dir, 250, PID, log::add);
        assertThat(oldest).doesNotExist();
        assertThat(middle).exists();
        assertThat(newest).exists();
        assertThat(leftover).as("ours, no longer recording").doesNotExist();
        assertThat(othersRecording).as("another start_server's, recent").exists();
    }
}
