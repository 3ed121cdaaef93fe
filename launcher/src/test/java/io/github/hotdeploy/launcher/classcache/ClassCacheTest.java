package io.github.hotdeploy.launcher.classcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache directory's bookkeeping with real files; the JVMs are stood in for by writing their files. */
class ClassCacheTest {
    private static final long PID = 4242;

    @TempDir
    Path tmp;

    private final List<String> log = new ArrayList<>();
    private final FakeAssembler assembler = new FakeAssembler();

    /** Stands in for the assembly JVMs: the test writes their output and says when they exit. */
    private static final class FakeAssembler implements ClassCache.Assembler {
        final List<List<String>> started = new ArrayList<>();
        final List<Map<String, String>> environments = new ArrayList<>();
        final Map<Long, Integer> exited = new HashMap<>();
        final List<Long> killed = new ArrayList<>();
        long next = 900;

        @Override
        public long start(List<String> argv, Map<String, String> environment, String directory) {
            started.add(argv);
            environments.add(environment);
            return ++next;
        }

        @Override
        public OptionalInt reap(long pid) {
            Integer status = exited.remove(pid);
            return status == null ? OptionalInt.empty() : OptionalInt.of(status);
        }

        @Override
        public void kill(long pid) {
            killed.add(pid);
        }

        @Override
        public void await(long pid) {
        }

        /** The running assembly writes these warnings into its log file (JDK 25's -Xlog:aot=warning). */
        void warns(String lines) throws IOException {
            String option = started.get(started.size() - 1).stream().filter(a -> a.startsWith("-Xlog:aot=warning:file="))
                    .findFirst().orElseThrow();
            Files.writeString(Path.of(option.substring("-Xlog:aot=warning:file=".length(),
                    option.length() - ":none".length())), lines);
        }

        /** The running assembly writes its cache and exits with {@code status}. */
        void finish(ClassCache cache, int bytes, int status) throws IOException {
            List<String> argv = started.get(started.size() - 1);
            Path part = file(argv.stream().filter(a -> a.startsWith("-XX:AOTCache=") || a.startsWith("-XX:SharedArchiveFile="))
                    .findFirst().orElseThrow());
            Files.write(part, new byte[bytes]);
            exited.put(next, status);
            cache.collect();
        }
    }

    private final FakeExits exits = new FakeExits();

    /** Stands in for the pidfds on recording generations: records what the exit watch does. */
    private static final class FakeExits implements ClassCache.Exits {
        final List<Long> killed = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<Long> lowered = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<Integer> released = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<Long> down = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public int hold(long pid) {
            return (int) pid;
        }

        @Override
        public boolean kill(int handle) {
            killed.add((long) handle);
            return true;
        }

        @Override
        public void lowerPriority(int handle, long pid) {
            lowered.add(pid);
        }

        @Override
        public void applicationDown(long pid) {
            down.add(pid);
        }

        @Override
        public void release(int handle) {
            released.add(handle);
        }
    }

    private ClassCache open(String name) {
        ClassCache cache = ClassCache.open(tmp.resolve(name), 1 << 30, PID, log::add);
        cache.assembleWith(assembler);
        cache.watchExitsWith(exits);
        return cache;
    }

    /** The recording JVM's log as it starts, and as it begins to write the configuration at exit. */
    private static Path jvmLog(ClassCache.Prepared generation) throws IOException {
        String option = generation.options().stream().filter(o -> o.startsWith("-Xlog:aot=info:file=")).findFirst().orElseThrow();
        Path log = Path.of(option.substring("-Xlog:aot=info:file=".length(), option.indexOf(":uptime")));
        return Files.writeString(log, "[0.064s] Writing binary AOTConfiguration file: x\n");
    }

    private static void writingBegins(Path jvmLog) throws IOException {
        Files.writeString(jvmLog, "[2.343s] Rewriting and linking classes ...\n", java.nio.file.StandardOpenOption.APPEND);
    }

    /** The recording generation wrote what it loaded. */
    private static Path recorded(ClassCache.Prepared generation) throws IOException {
        Path config = file(generation.options().stream().filter(o -> o.startsWith("-XX:AOTConfiguration=")
                || o.startsWith("-XX:DumpLoadedClassList=")).findFirst().orElseThrow());
        return Files.write(config, new byte[10]);
    }

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
        ClassCache.Prepared p = cache.prepare(generation, java25(), List.of("java", "-javaagent:a.jar", "-jar", app().toString()),
                Map.of("SERVER_STARTER_PORT", "8080=3", "JAVA_HOME", "/j"), tmp, null, Set.of("SERVER_STARTER_PORT"));
        p.spawned(pid);
        return p;
    }

    /** Generation 1 ({@code pid}) records and exits; its cache is made. */
    private void made(ClassCache cache, long pid) throws IOException {
        recorded(spawn(cache, 1, pid));
        cache.exited(pid, 0);
        assembler.finish(cache, 1000, 0);
    }

    private static Path file(String option) {
        return Path.of(option.substring(option.indexOf('=') + 1));
    }

    @Test
    void theGenerationRecordsTheCacheIsMadeAfterItExitedAndOnlyAStatus0AssemblyBecomesTheCache() throws Exception {
        ClassCache cache = open("cache");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.directory()))).isEqualTo("rwx------");

        ClassCache.Prepared g1 = spawn(cache, 1, 101);
        assertThat(g1.options()).hasSize(4);
        assertThat(g1.options().get(0)).isEqualTo("-XX:AOTMode=record");
        assertThat(g1.options().get(3)).startsWith("-Xlog:aot=info:file=").endsWith(".4242-1.part.record.log:uptime:filecount=0");
        assertThat(g1.options().get(1)).startsWith("-XX:AOTConfiguration=").endsWith(".4242-1.part.config");
        assertThat(spawn(cache, 2, 102).options()).as("generation 1 still records").isEmpty();

        Path config = recorded(g1);
        cache.exited(101, 143 << 8); // exit status 143 after TERM: a normal exit
        assertThat(assembler.started).singleElement().satisfies(argv -> assertThat(argv).startsWith("java",
                "-XX:AOTMode=create", "-XX:AOTConfiguration=" + config).contains("-javaagent:a.jar", "-jar"));
        assertThat(assembler.environments.get(0)).as("start_server's own variables stay with the generations")
                .containsOnlyKeys("JAVA_HOME");
        assertThat(spawn(cache, 3, 103).options()).as("the cache is still being made").isEmpty();

        assembler.finish(cache, 100, 0);
        assertThat(spawn(cache, 4, 104).options()).singleElement().asString().startsWith("-XX:AOTCache=").endsWith(".aot");
        assertThat(config).doesNotExist();
        assertThat(cache.directory()).isDirectoryNotContaining("glob:**.part*");
        assertThat(log).anyMatch(l -> l.startsWith("start_server: class cache: made ") && l.contains("(nice 19)"));
    }

    @Test
    void aRecordingOrAnAssemblyKilledMidWriteIsDiscardedAndRecordedAgainANewJarChangesTheKey() throws Exception {
        ClassCache cache = open("cache");
        ClassCache.Prepared g1 = spawn(cache, 1, 101);
        Path config = recorded(g1);
        cache.exited(101, 9); // KILL
        assertThat(config).doesNotExist();
        assertThat(assembler.started).isEmpty();

        ClassCache.Prepared g2 = spawn(cache, 2, 102);
        assertThat(g2.options().get(0)).isEqualTo("-XX:AOTMode=record");
        recorded(g2);
        cache.exited(102, 0);
        assembler.finish(cache, 100, 9); // the assembly killed while it wrote
        assertThat(cache.directory()).isDirectoryNotContaining("glob:**.part*").isDirectoryNotContaining("glob:**.aot");
        assertThat(spawn(cache, 3, 103).options()).as("not tried again while start_server runs").isEmpty();
        assertThat(log).anyMatch(l -> l.contains("was killed (signal 9)"));

        ClassCache fresh = open("cache");
        ClassCache.Prepared g4 = spawn(fresh, 4, 104);
        recorded(g4);
        fresh.exited(104, 0);
        assembler.finish(fresh, 100, 0);
        String sealed = spawn(fresh, 5, 105).options().get(0);
        assertThat(sealed).startsWith("-XX:AOTCache=");

        Files.write(app(), new byte[] {1, 2, 3, 4}); // a deploy
        assertThat(spawn(fresh, 6, 106).options().get(1)).startsWith("-XX:AOTConfiguration=")
                .doesNotContain(file(sealed).getFileName().toString().replace(".aot", ""));
    }

    @Test
    void anAssemblyUnderWayAtExitIsKilledAndLeavesNothing() throws Exception {
        ClassCache cache = open("cache");
        ClassCache.Prepared g1 = spawn(cache, 1, 101);
        recorded(g1);
        cache.exited(101, 0);
        cache.stop();
        assertThat(assembler.killed).containsExactly(assembler.next);
        assertThat(cache.directory()).isEmptyDirectory();
    }

    @Test
    void aCacheChangedSinceItWasSealedIsNeverHandedToAJvmButRecordedAgain() throws Exception {
        ClassCache cache = open("cache");
        made(cache, 101);
        Path sealed = file(spawn(cache, 2, 102).options().get(0));

        Files.write(sealed, new byte[500]); // truncated: JDK 17 would die of SIGBUS mapping it
        ClassCache fresh = open("cache");
        assertThat(spawn(fresh, 3, 103).options().get(0)).isEqualTo("-XX:AOTMode=record");
        assertThat(sealed).doesNotExist();

        ClassCache again = open("cache2");
        made(again, 201);
        Path other = file(spawn(again, 2, 202).options().get(0));
        byte[] flipped = new byte[1000];
        flipped[700] = 1; // same size, different bytes: JDK 25 would crash on it
        Files.write(other, flipped);
        assertThat(spawn(open("cache2"), 3, 203).options().get(0)).isEqualTo("-XX:AOTMode=record");
        assertThat(log).anyMatch(l -> l.contains("is not what start_server recorded"));
    }

    @Test
    void aGenerationThatCrashesBootingFromTheCacheBeforeItStartedRemovesItAndLaterOnesBootCold() throws Exception {
        ClassCache cache = open("cache");
        made(cache, 101);
        Path sealed = file(spawn(cache, 2, 102).options().get(0));
        cache.started(102);
        cache.exited(102, 11); // crashed after it started: not the cache's doing
        assertThat(sealed).exists();

        spawn(cache, 3, 103);
        cache.exited(103, 143 << 8); // TERM before it started (say, a readiness timeout): not a crash
        assertThat(sealed).exists();
        spawn(cache, 4, 104);
        cache.exited(104, 9); // KILL from start_server
        assertThat(sealed).exists();

        spawn(cache, 5, 105);
        cache.exited(105, 6 | 0x80); // SIGABRT with a core: the JVM's error handler
        assertThat(sealed).doesNotExist();
        assertThat(log).anyMatch(l -> l.startsWith("start_server: class cache: generation 5 crashed (signal 6) booting from "
                + sealed.getFileName() + " before it started; the cache is removed"));
        assertThat(spawn(cache, 6, 106).options()).as("cold, and not recorded again while start_server runs").isEmpty();
    }

    @Test
    void anAssemblyThatLeftOutAnUnlinkedClassIsMadeAgainWithoutAotClassLinking() throws Exception {
        ClassCache cache = open("cache");
        recorded(spawn(cache, 1, 101));
        cache.exited(101, 0);
        List<String> first = assembler.started.get(0);
        assembler.warns("Skipping org/springframework/web/servlet/view/freemarker/FreeMarkerView: Unlinked"
                + " class not supported by AOTClassLinking\nSkipping sun/nio/ch/IOUtil: Unlinked class not supported by"
                + " AOTClassLinking\n");
        assembler.finish(cache, 1000, 0);

        assertThat(assembler.started).hasSize(2);
        assertThat(assembler.started.get(1)).as("the same assembly, without linking")
                .startsWith("java", "-XX:-AOTClassLinking").containsAll(first);
        assertThat(cache.directory()).isDirectoryNotContaining("glob:**.aot");
        assertThat(log).anyMatch(l -> l.contains("again without AOT class linking") && l.contains("left out sun/nio/ch/IOUtil"));

        assembler.finish(cache, 1000, 0);
        assertThat(assembler.started).as("once only").hasSize(2);
        assertThat(spawn(cache, 2, 102).options()).singleElement().asString().startsWith("-XX:AOTCache=");
        assertThat(cache.directory()).isDirectoryNotContaining("glob:**.part*");
    }

    @Test
    void anApplicationClassLeftOutUnlinkedKeepsTheLinkedCache() throws Exception {
        ClassCache cache = open("cache");
        recorded(spawn(cache, 1, 101));
        cache.exited(101, 0);
        assembler.warns("Skipping org/springframework/web/servlet/view/freemarker/FreeMarkerView: Unlinked class not"
                + " supported by AOTClassLinking\n");
        assembler.finish(cache, 1000, 0);
        assertThat(assembler.started).as("Spring Boot's linked cache boots in 0.50x, unlinked 0.71x").hasSize(1);
        assertThat(spawn(cache, 2, 102).options()).singleElement().asString().startsWith("-XX:AOTCache=");
    }

    @Test
    void aSpringBootExecutableJarGetsNoArchiveBefore25ButTheAotCacheOn25() throws Exception {
        Path jdk17 = Files.createDirectories(tmp.resolve("jdk17/bin")).resolve("java");
        Files.createFile(jdk17);
        Files.writeString(tmp.resolve("jdk17/release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"17.0.15\"\n");
        Path fatJar = jarWithMainClass("boot.jar", "org.springframework.boot.loader.launch.JarLauncher");
        Path plainJar = jarWithMainClass("plain.jar", "com.example.App");
        ClassCache cache = open("cache");
        Map<String, String> env = Map.of("SERVER_STARTER_PORT", "8080=3");

        for (int generation = 1; generation <= 2; generation++) {
            assertThat(cache.prepare(generation, jdk17, List.of("java", "-jar", fatJar.toString()), env, tmp, null,
                    Set.of("SERVER_STARTER_PORT")).options()).isEmpty();
        }
        assertThat(log).as("said once").singleElement().asString().contains("class cache off for this command:",
                "Main-Class org.springframework.boot.loader.launch.JarLauncher", "JDK 17", "extract");
        assertThat(cache.prepare(3, jdk17, List.of("java", "-jar", plainJar.toString()), env, tmp, null,
                Set.of("SERVER_STARTER_PORT")).options()).singleElement().asString().startsWith("-XX:DumpLoadedClassList=");
        assertThat(cache.prepare(4, java25(), List.of("java", "-jar", fatJar.toString()), env, tmp, null,
                Set.of("SERVER_STARTER_PORT")).options()).first().isEqualTo("-XX:AOTMode=record");
    }

    private Path jarWithMainClass(String name, String mainClass) throws IOException {
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MAIN_CLASS, mainClass);
        Path jar = tmp.resolve(name);
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.putNextEntry(new java.util.zip.ZipEntry("a.txt"));
            out.write(1);
        }
        return jar;
    }

    @Test
    void aCleanExitWithoutARecordingIsNotRetriedForThatCommand() throws Exception {
        ClassCache cache = open("cache");
        spawn(cache, 1, 101);
        cache.exited(101, 0);
        assertThat(spawn(cache, 2, 102).options()).isEmpty();
        assertThat(log).anyMatch(l -> l.contains("exited without writing what it loaded"));
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

    @Test
    void aRecordingGenerationWritingAsItExitsIsLoweredThenKilledAtOnceWhenStartServerStops() throws Exception {
        ClassCache cache = open("cache");
        ClassCache.Prepared g1 = spawn(cache, 1, 101);
        Path jvmLog = jvmLog(g1);
        recorded(g1);
        cache.stopping();
        cache.signalled(101);
        Thread.sleep(3 * ClassCache.WATCH_EVERY.toMillis());
        assertThat(exits.killed).as("its application is still shutting down: never cut").isEmpty();
        assertThat(exits.down).isEmpty();

        writingBegins(jvmLog);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> !exits.killed.isEmpty());
        assertThat(exits.lowered).containsExactly(101L);
        assertThat(exits.down).containsExactly(101L);
        assertThat(exits.killed).containsExactly(101L);
        cache.exited(101, 9);
        assertThat(assembler.started).as("nothing to make: start_server stops").isEmpty();
        assertThat(cache.directory()).isEmptyDirectory();
        assertThat(log).anyMatch(l -> l.equals("start_server: class cache: generation 1 was writing what it loaded as it "
                + "exited, after its application had shut down; killed: start_server is stopping, the recording is discarded"));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> exits.released.contains(101));
    }

    @Test
    void aRecordingStillWritingAfterTheLimitIsKilledAndNotTriedAgainOneWrittenInTimeIsTimed() throws Exception {
        ClassCache cache = open("cache");
        cache.recordingExitLimit(java.time.Duration.ofMillis(300));
        ClassCache.Prepared g1 = spawn(cache, 1, 101);
        Path jvmLog = jvmLog(g1);
        recorded(g1);
        cache.signalled(101);
        writingBegins(jvmLog);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> !exits.killed.isEmpty());
        cache.exited(101, 9);
        assertThat(log).anyMatch(l -> l.contains("generation 1 was still writing what it loaded 0 s after its application "
                + "had shut down; killed, the recording is discarded and its command boots cold until start_server restarts"));
        assertThat(assembler.started).isEmpty();
        assertThat(spawn(cache, 2, 102).options()).as("not recorded again while start_server runs").isEmpty();

        ClassCache other = open("cache2");
        ClassCache.Prepared g3 = spawn(other, 3, 103);
        Path log3 = jvmLog(g3);
        recorded(g3);
        other.signalled(103);
        writingBegins(log3);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> exits.lowered.contains(103L));
        other.exited(103, 0);
        assertThat(exits.killed).doesNotContain(103L);
        assertThat(assembler.started).hasSize(1);
        assertThat(log).anyMatch(l -> l.matches("start_server: class cache: generation 3 wrote what it loaded in \\d+\\.\\d s after "
                + "its application had shut down \\(at nice 19\\)"));
    }

    @Test
    void aStopWhileAnOldGenerationWritesItsRecordingAfterARestartCutsTheWriting() throws Exception {
        ClassCache cache = open("cache");
        ClassCache.Prepared g1 = spawn(cache, 1, 101);
        Path jvmLog = jvmLog(g1);
        recorded(g1);
        cache.signalled(101); // the restart's TERM to the old generation
        writingBegins(jvmLog);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> exits.lowered.contains(101L));
        Thread.sleep(3 * ClassCache.WATCH_EVERY.toMillis());
        assertThat(exits.killed).as("a restart lets the writing go on, at nice 19").isEmpty();
        assertThat(exits.down).as("a restart no longer waits for it").containsExactly(101L);

        cache.stopping(); // then start_server is told to stop
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> exits.killed.contains(101L));
        cache.exited(101, 9);
        assertThat(assembler.started).isEmpty();
        assertThat(log).anyMatch(l -> l.endsWith("killed: start_server is stopping, the recording is discarded"));
    }

    @Test
    void aRecordingThatEndsWhileStartServerStopsIsDiscardedWithoutAnAssembly() throws Exception {
        ClassCache cache = open("cache");
        recorded(spawn(cache, 1, 101));
        cache.stopping();
        cache.exited(101, 143 << 8);
        assertThat(assembler.started).isEmpty();
        assertThat(cache.directory()).isEmptyDirectory();
        assertThat(log).anyMatch(l -> l.contains("generation 1's recording is discarded: start_server is stopping"));
    }
}
