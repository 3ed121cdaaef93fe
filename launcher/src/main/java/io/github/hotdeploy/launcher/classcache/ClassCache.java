package io.github.hotdeploy.launcher.classcache;

import io.github.hotdeploy.launcher.supervision.WaitStatus;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The class caches of Java children, in a directory start_server owns (mode 0700): one file per
 * {@link CacheKey}, {@code KEY.aot} (JDK 25+) or {@code KEY.jsa} (JDK 13-24), with {@code KEY.aot.sum}
 * beside it (its size and CRC when it was sealed).
 *
 * <p>A recording generation writes what it loaded to {@code KEY.PID-GEN.part.config} (start_server's
 * pid, the generation); once it has exited normally, an assembly JVM ({@link Assembler}, one at a
 * time, nice 19, killed after {@link #ASSEMBLY_LIMIT}) makes the cache from it into
 * {@code KEY.PID-GEN.part}, which is renamed to the cache only when that JVM exited with status 0.
 * A generation or an assembly killed or crashed leaves no cache, its files are removed. Nothing
 * here ever stops a start: any trouble with the directory or a file turns the cache off for that
 * generation, with one line. The directory is kept under {@link #maxBytes}: stale recordings are
 * removed, then the least recently used caches (a use touches its file).
 *
 * <p>JDK 25 writes the recording as the generation exits, after its shutdown hooks (seconds of
 * CPU: the JVM links, copies and writes every class it loaded). Once start_server has signalled
 * a recording generation, an exit watch reads the JVM's log of that writing ({@code .part.record.log});
 * from its first line on the application is down and only the recording remains, so the watch
 * says so (a restart does not wait for the writing), puts the process at {@link #ASSEMBLY_NICE},
 * kills it at once when start_server is stopping
 * (the recording would be discarded anyway, and a stop must not wait for it), and kills it when
 * it is still writing after {@link #RECORDING_EXIT_LIMIT}. A killed recording is discarded.
 *
 * <p>Only the supervisor's thread calls this (spawn, signal and reap), but for the assembly's
 * deadline and the exit watches, which only kill through handles that cannot reach another process.
 */
public final class ClassCache {
    static final String PART = ".part";
    /** Beside each cache: its size and CRC when start_server sealed it. */
    static final String SUM = ".sum";
    /** A recording of another start_server, or one left by a crash, older than this is garbage. */
    static final Duration STALE_RECORDING = Duration.ofHours(6);
    /**
     * An assembly still running after this long is killed, and its command boots cold until
     * start_server restarts (Spring Boot's took 6-40 s on a shared 2-core machine).
     */
    public static final Duration ASSEMBLY_LIMIT = Duration.ofMinutes(10);
    /** The assembly's CPU priority: it never competes with the generations. */
    public static final int ASSEMBLY_NICE = 19;
    /**
     * A recording generation still writing what it loaded this long after its application shut
     * down is killed, its recording discarded, and its command boots cold until start_server
     * restarts (measured: 2-5 s for the demo app, 7-18 s for Spring Boot on a saturated 2-core
     * machine; see docs/benchmarks/classcache.md).
     */
    public static final Duration RECORDING_EXIT_LIMIT = Duration.ofSeconds(60);
    /** How often an exit watch reads the JVM's log. */
    static final Duration WATCH_EVERY = Duration.ofMillis(100);
    /**
     * In the JVM's log, the beginning of writing the configuration: JDK 24-26 log "Rewriting and
     * linking classes ..." first thing in MetaspaceShared::preload_and_dump, which runs in
     * before_exit, after the shutdown hooks. Another JDK that logs otherwise is simply not watched.
     */
    static final String WRITING_BEGINS = "linking classes";

    private final Path directory;
    private final long maxBytes;
    private final long launcherPid;
    private final Consumer<String> log;
    private Duration recordingExitLimit = RECORDING_EXIT_LIMIT;
    /** Set once start_server stops: what generations record from then on is discarded. */
    private volatile boolean stopping;
    /** Recording generations signalled to stop: pid to their exit watch. */
    private final Map<Long, ExitWatch> watches = new HashMap<>();
    private Exits exits;
    /** Recording generations: pid to their recording. */
    private final Map<Long, Recording> recording = new HashMap<>();
    /** Keys whose recording ended without a cache: not tried again while start_server runs. */
    private final Set<String> failed = new HashSet<>();
    /** Reasons already logged, so that each is said once and not at every restart. */
    private final Set<String> said = new HashSet<>();
    /** Caches whose CRC was checked since start_server started. */
    private final Set<Path> checked = new HashSet<>();
    /** Generations booted from a cache that do not count as started yet: pid to their cache. */
    private final Map<Long, Booting> booting = new HashMap<>();

    private record Booting(String key, Path sealed, int generation) {
    }

    /** Assembly JVMs waiting for their turn; the one running. */
    private final java.util.ArrayDeque<Recording> assemblies = new java.util.ArrayDeque<>();
    private Assembling assembling;
    private Assembler assembler;

    /**
     * @param assembly the command that makes the cache from what the generation recorded
     * @param environment and its environment: the generation's, without start_server's variables
     */
    private record Recording(String key, Path part, Path sealed, int generation, long startedNanos,
                             List<String> assembly, Map<String, String> environment, String directory) {
        Path config() {
            return CachePlan.configuration(part);
        }

        Path assemblyLog() {
            return CachePlan.assemblyLog(part);
        }

        boolean linked() {
            return !assembly.contains(CachePlan.WITHOUT_LINKING);
        }

        /** The same assembly, without AOT class linking (the option goes before the others). */
        Recording withoutLinking() {
            List<String> argv = new ArrayList<>(assembly);
            argv.add(1, CachePlan.WITHOUT_LINKING);
            return new Recording(key, part, sealed, generation, startedNanos, List.copyOf(argv), environment, directory);
        }

        Path exitLog() {
            return CachePlan.exitLog(part);
        }
    }

    /** The assembly running now; {@code reaped} guards its pid against the deadline's kill. */
    private static final class Assembling {
        final Recording recording;
        final long pid;
        final long startedNanos = System.nanoTime();
        boolean reaped;

        Assembling(Recording recording, long pid) {
            this.recording = recording;
            this.pid = pid;
        }
    }

    /**
     * Starts and collects the JVMs that assemble caches: posix_spawn'ed with no descriptor but
     * 0-2, stdin from /dev/null, at {@link #ASSEMBLY_NICE}.
     */
    public interface Assembler {
        /** @return the pid */
        long start(List<String> argv, Map<String, String> environment, String directory) throws IOException;

        /** The raw wait status if it has exited (reaping it), else empty. */
        java.util.OptionalInt reap(long pid);

        void kill(long pid);

        /** Waits for a killed assembly (at exit). */
        void await(long pid);
    }

    /**
     * Reaches a recording generation while it exits, only through a handle taken while start_server
     * knew it alive (a pidfd), which can never reach a process that got its pid later.
     */
    public interface Exits {
        /** A handle on process {@code pid}, not yet reaped; negative if none can be had. */
        int hold(long pid);

        /** SIGKILL through the handle; false if the process had exited already. */
        boolean kill(int handle);

        /** Every thread of the held process at {@link #ASSEMBLY_NICE}. */
        void lowerPriority(int handle, long pid);

        /**
         * Process {@code pid}'s application has shut down: it only writes what it loaded. Called
         * once, from the exit watch's thread.
         */
        default void applicationDown(long pid) {
        }

        void release(int handle);
    }

    /** The options one spawn gets, and what to tell the cache once its pid is known. */
    public interface Prepared {
        List<String> options();

        /** USE, RECORD, or NONE when the generation boots cold. */
        CachePlan.Kind kind();

        void spawned(long pid);
    }

    private static final Prepared NOTHING = new Prepared() {
        @Override
        public List<String> options() {
            return List.of();
        }

        @Override
        public CachePlan.Kind kind() {
            return CachePlan.Kind.NONE;
        }

        @Override
        public void spawned(long pid) {
        }
    };

    private ClassCache(Path directory, long maxBytes, long launcherPid, Consumer<String> log) {
        this.directory = directory;
        this.maxBytes = maxBytes;
        this.launcherPid = launcherPid;
        this.log = log;
    }

    /**
     * The cache in {@code directory}, created with mode 0700 if missing; null (and one line) when
     * it cannot be used: not creatable, not a directory, or open to other users.
     */
    public static ClassCache open(Path directory, long maxBytes, long launcherPid, Consumer<String> log) {
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory.getParent());
                Files.createDirectory(directory,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(directory);
            Object owner = Files.getAttribute(directory, "unix:uid");
            Object self = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            if (!owner.equals(self)) {
                log.accept("start_server: class cache off: " + directory + " belongs to uid " + owner
                        + ", not to start_server's user (uid " + self + "); give --cache-dir a directory of its own");
                return null;
            }
            if (mode.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                log.accept("start_server: class cache off: " + directory + " is open to other users (mode "
                        + PosixFilePermissions.toString(mode) + "); it must be 0700 (chmod 700 it, or give --cache-dir "
                        + "a directory of its own)");
                return null;
            }
            if (!Files.isWritable(directory)) {
                log.accept("start_server: class cache off: " + directory + " is not writable");
                return null;
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            log.accept("start_server: class cache off: cannot use " + directory + ": " + e);
            return null;
        }
        ClassCache cache = new ClassCache(directory, maxBytes, launcherPid, log);
        cache.prune();
        return cache;
    }

    public Path directory() {
        return directory;
    }

    /** Who starts the assembly JVMs: without one, recordings are discarded. */
    public void assembleWith(Assembler assembler) {
        this.assembler = assembler;
    }

    /** Who reaches the recording generations as they exit: without one, they are not watched. */
    public void watchExitsWith(Exits exits) {
        this.exits = exits;
    }

    /** For the tests: a shorter {@link #RECORDING_EXIT_LIMIT}. */
    void recordingExitLimit(Duration limit) {
        this.recordingExitLimit = limit;
    }

    /**
     * The cache options for one spawn of {@code java} (the options go right after the program).
     *
     * @param argv the command as the child gets it (agent included), without cache options
     * @param environment the child's environment
     * @param startsIn where the child starts (null: start_server's), where the assembly starts too
     * @param privateVariables start_server's own variables in {@code environment}, kept from the assembly
     */
    public Prepared prepare(int generation, Path java, List<String> argv, Map<String, String> environment,
                            Path childDirectory, String startsIn, Set<String> privateVariables) {
        JavaCommand command = JavaCommand.parse(argv.subList(1, argv.size()), environment);
        if (command.refusal() != null) {
            once("start_server: class cache off for this command: " + command.refusal());
            return NOTHING;
        }
        Jdk jdk = Jdk.of(java);
        // Only a JDK before 25 can refuse it: the jar's manifest is not read otherwise.
        String nested = command.jar() == null || jdk.feature() >= Jdk.AOT_CACHE ? null
                : CachePlan.nestedJarRefusal(jdk.feature(),
                        CacheKey.manifestMainClass(childDirectory.resolve(command.jar())));
        if (nested != null) {
            once("start_server: class cache off for this command: " + nested);
            return NOTHING;
        }
        String key;
        try {
            key = CacheKey.of(jdk, argv, environment, childDirectory, command);
        } catch (CacheKey.Uncacheable e) {
            once("start_server: class cache off for this command: " + e.getMessage());
            return NOTHING;
        }
        Path sealed = directory.resolve(key + CachePlan.suffix(jdk.feature()));
        Path part = directory.resolve(key + "." + launcherPid + "-" + generation + PART);
        boolean underWay = recording.values().stream().anyMatch(r -> r.key().equals(key))
                || assemblies.stream().anyMatch(r -> r.key().equals(key))
                || (assembling != null && assembling.recording.key().equals(key));
        if (Files.isRegularFile(sealed) && !intact(sealed)) {
            log.accept("start_server: class cache: " + sealed + " is not what start_server recorded (changed or "
                    + "truncated since); removed, generation " + generation + " records a new one");
            deleteCache(sealed);
        }
        CachePlan.Decision decision = CachePlan.decide(jdk.feature(), argv, command,
                Files.isRegularFile(sealed) ? sealed : null, part, underWay, failed.contains(key));
        switch (decision.kind()) {
            case USE -> {
                touch(sealed);
                log.accept("start_server: class cache: generation " + generation + " boots from " + sealed
                        + " (if the JVM warns that it cannot use it, it boots cold)");
            }
            case RECORD -> log.accept("start_server: class cache: generation " + generation + " records what it "
                    + "loads; once it has exited, " + (jdk.feature() >= Jdk.AOT_CACHE ? "an AOT cache" : "a class archive")
                    + " is made of it in the background: " + sealed.getFileName());
            case NONE -> {
                if (underWay && decision.reason() != null) {
                    log.accept("start_server: class cache: generation " + generation + " boots cold: " + decision.reason());
                } else if (decision.reason() != null) {
                    once("start_server: class cache off: " + decision.reason());
                }
                return NOTHING;
            }
        }
        return new Prepared() {
            @Override
            public List<String> options() {
                return decision.options();
            }

            @Override
            public CachePlan.Kind kind() {
                return decision.kind();
            }

            @Override
            public void spawned(long pid) {
                if (decision.kind() == CachePlan.Kind.USE) {
                    booting.put(pid, new Booting(key, sealed, generation));
                }
                if (decision.kind() == CachePlan.Kind.RECORD) {
                    Map<String, String> own = new java.util.LinkedHashMap<>(environment);
                    own.keySet().removeAll(privateVariables);
                    recording.put(pid, new Recording(key, part, sealed, generation, System.nanoTime(), decision.assembly(),
                            own, startsIn));
                }
            }
        };
    }

    /**
     * A generation was reaped: what it recorded goes to the assembly if it exited normally.
     *
     * @param waitStatus its raw wait status, or -1 when unknown
     */
    public void exited(long pid, int waitStatus) {
        ExitWatch watch = watches.remove(pid);
        String cut = watch != null ? watch.end() : null;
        Booting b = booting.remove(pid);
        if (b != null && WaitStatus.crashed(waitStatus)) {
            // A JVM that maps a cache may crash on it (JDK 25.0.3 with AOT-linked classes recorded
            // from Tomcat NIO2 under load: SIGSEGV in AOTLinkedClassBulkLoader at every start).
            // Without this, every later generation would boot from it and crash: no restart would
            // ever go through again.
            failed.add(b.key());
            deleteCache(b.sealed());
            log.accept("start_server: class cache: generation " + b.generation() + " crashed (signal "
                    + (waitStatus & 0x7f) + ") booting from " + b.sealed().getFileName() + " before it started; the "
                    + "cache is removed and its command boots cold until start_server restarts (the JVM's hs_err "
                    + "file says where it crashed; --class-cache=off turns caches off)");
        }
        Recording r = recording.remove(pid);
        if (r == null) {
            return;
        }
        boolean normalExit = waitStatus >= 0 && (waitStatus & 0x7f) == 0;
        String writing = watch != null ? watch.writing() : null;
        if (cut != null) {
            if (!stopping) {
                failed.add(r.key());
            }
            log.accept("start_server: class cache: generation " + r.generation() + " " + cut);
            deleteRecording(r);
        } else if (stopping) {
            log.accept("start_server: class cache: generation " + r.generation() + "'s recording is discarded: "
                    + "start_server is stopping (the next start records again)");
            deleteRecording(r);
        } else if (normalExit && nonEmpty(r.config()) && assembler != null) {
            if (writing != null) {
                log.accept("start_server: class cache: generation " + r.generation() + " wrote what it loaded in "
                        + writing + " after its application had shut down (at nice " + ASSEMBLY_NICE + ")");
            }
            assemblies.add(r);
            assembleNext();
        } else {
            if (normalExit) {
                failed.add(r.key());
            }
            log.accept("start_server: class cache: generation " + r.generation() + (normalExit
                    ? " exited without writing what it loaded (the JVM's own lines above say why); its command boots "
                      + "cold until start_server restarts"
                    : " did not exit normally; its recording is discarded and the next generation records again"));
            deleteRecording(r);
        }
        prune();
    }

    /** This generation counts as started: from now on its death is not its cache's doing. */
    public void started(long pid) {
        booting.remove(pid);
    }

    /** The first class the assembly left out as unlinked ("sun/nio/ch/IOUtil"), or null. */
    static String unlinkedSkipped(Path assemblyLog) {
        try (java.util.stream.Stream<String> lines = Files.lines(assemblyLog)) {
            // Only the JDK's own classes: the crash is in the bulk load of java.base's linked
            // classes. An application class left out (Spring Boot's FreeMarkerView, whose
            // FreeMarker is absent) just loads at run time, and the linked cache boots in 0.50x
            // of a cold start against 0.71x without linking (bench/classcache/boot-linking.sh).
            return lines.filter(l -> l.contains(CachePlan.UNLINKED_SKIPPED))
                    .map(l -> l.replaceFirst("^.*Skipping ([^:\\s]+).*$", "$1"))
                    .filter(ClassCache::jdkClass).findFirst().orElse(null);
        } catch (IOException | java.io.UncheckedIOException e) {
            return null; // no log: nothing known against the cache
        }
    }

    /**
     * start_server signalled generation {@code pid} (it is not reaped yet): if it records on JDK
     * 25+, its exit is watched from now on.
     */
    public void signalled(long pid) {
        Recording r = recording.get(pid);
        if (r == null || exits == null || watches.containsKey(pid) || !Files.isRegularFile(r.exitLog())) {
            return;
        }
        long baseline;
        try {
            baseline = Files.size(r.exitLog());
        } catch (IOException e) {
            return;
        }
        int handle = exits.hold(pid);
        if (handle < 0) {
            return; // no pidfd: a kill could reach a process that took the pid over; not watched
        }
        ExitWatch watch = new ExitWatch(pid, handle, r.exitLog(), baseline, recordingExitLimit);
        watches.put(pid, watch);
        Thread t = new Thread(watch, "class-cache-exit-watch-" + pid);
        t.setDaemon(true);
        t.start();
    }

    /** start_server stops: recordings are discarded, and a generation writing one is killed. */
    public void stopping() {
        stopping = true;
    }

    /**
     * One recording generation after start_server signalled it: reads the JVM's log until it
     * shows the recording being written, then lowers its priority and kills it if start_server
     * stops or the writing outlasts the limit. Its own thread; the handle is released by it.
     */
    private final class ExitWatch implements Runnable {
        private final long pid;
        private final int handle;
        private final Path jvmLog;
        private final long baseline;
        private final Duration limit;
        private long writingSince = -1;
        private long writingNanos = -1;
        private String cut;
        private boolean over;

        ExitWatch(long pid, int handle, Path jvmLog, long baseline, Duration limit) {
            this.pid = pid;
            this.handle = handle;
            this.jvmLog = jvmLog;
            this.baseline = baseline;
            this.limit = limit;
        }

        @Override
        public void run() {
            try {
                while (true) {
                    Thread.sleep(WATCH_EVERY.toMillis());
                    long now = System.nanoTime();
                    synchronized (this) {
                        if (over) {
                            return;
                        }
                        if (writingSince < 0 && writingBegan()) {
                            writingSince = now;
                            exits.lowerPriority(handle, pid);
                            exits.applicationDown(pid);
                        }
                        if (writingSince < 0) {
                            continue;
                        }
                        String why = stopping ? "was writing what it loaded as it exited, after its application had "
                                + "shut down; killed: start_server is stopping, the recording is discarded"
                                : now - writingSince > limit.toNanos() ? "was still writing what it loaded "
                                + limit.toSeconds() + " s after its application had shut down; killed, the recording is "
                                + "discarded and its command boots cold until start_server restarts"
                                : null;
                        if (why != null && exits.kill(handle)) {
                            cut = why;
                            writingNanos = now - writingSince;
                            over = true;
                            return;
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exits.release(handle);
            }
        }

        private boolean writingBegan() {
            try (java.nio.channels.FileChannel in = java.nio.channels.FileChannel.open(jvmLog)) {
                long size = in.size();
                if (size <= baseline) {
                    return false;
                }
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate((int) Math.min(size - baseline, 1 << 16));
                in.read(buffer, baseline);
                return new String(buffer.array(), 0, buffer.position(), java.nio.charset.StandardCharsets.ISO_8859_1)
                        .contains(WRITING_BEGINS);
            } catch (IOException e) {
                return false;
            }
        }

        /** The process was reaped: the watch ends; why it was killed, if it was. */
        synchronized String end() {
            if (!over) {
                over = true;
                if (writingSince >= 0) {
                    writingNanos = System.nanoTime() - writingSince;
                }
            }
            return cut;
        }

        /** How long it wrote its recording, if that was seen. */
        synchronized String writing() {
            return writingNanos < 0 ? null : String.format(java.util.Locale.ROOT, "%.1f s", writingNanos / 1e9);
        }
    }

    /** A class of the JDK's own modules, by its internal name. */
    static boolean jdkClass(String internalName) {
        return internalName.startsWith("java/") || internalName.startsWith("javax/") || internalName.startsWith("jdk/")
                || internalName.startsWith("sun/") || internalName.startsWith("com/sun/");
    }

    private static boolean nonEmpty(Path file) {
        try {
            return Files.isRegularFile(file) && Files.size(file) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private void assembleNext() {
        while (assembling == null && !assemblies.isEmpty()) {
            Recording r = assemblies.poll();
            try {
                long pid = assembler.start(r.assembly(), r.environment(), r.directory());
                Assembling a = new Assembling(r, pid);
                assembling = a;
                Thread deadline = new Thread(() -> killWhenLate(a), "class-cache-assembly-deadline");
                deadline.setDaemon(true);
                deadline.start();
            } catch (IOException | RuntimeException e) {
                failed.add(r.key());
                log.accept("start_server: class cache: could not start the assembly of " + r.sealed().getFileName()
                        + ": " + e.getMessage() + "; its command boots cold until start_server restarts");
                deleteRecording(r);
            }
        }
    }

    private void killWhenLate(Assembling a) {
        try {
            Thread.sleep(ASSEMBLY_LIMIT.toMillis());
        } catch (InterruptedException e) {
            return;
        }
        synchronized (a) {
            if (!a.reaped) { // not reaped: its pid is still its own, a zombie at worst
                assembler.kill(a.pid);
            }
        }
    }

    /**
     * Some child changed state: if it is the assembly, its output becomes the cache when it
     * exited with status 0; the next assembly starts.
     */
    public void collect() {
        Assembling a = assembling;
        if (a == null) {
            return;
        }
        java.util.OptionalInt status;
        synchronized (a) {
            status = assembler.reap(a.pid);
            a.reaped = status.isPresent();
        }
        if (status.isEmpty()) {
            return;
        }
        assembling = null;
        Recording r = a.recording;
        long took = (System.nanoTime() - a.startedNanos) / 1_000_000;
        int w = status.getAsInt();
        String seconds = String.format(java.util.Locale.ROOT, "%.1f s", took / 1000.0);
        String unlinked = w == 0 && r.linked() ? unlinkedSkipped(r.assemblyLog()) : null;
        if (unlinked != null) {
            log.accept("start_server: class cache: making " + r.sealed().getFileName() + " again without AOT class "
                    + "linking (" + seconds + " for the first try): the JVM left out " + unlinked + " as an unlinked "
                    + "class, and JDK 25 crashes at start-up on such a cache");
            try {
                Files.deleteIfExists(r.part());
                Files.deleteIfExists(r.assemblyLog());
            } catch (IOException e) {
                // the assembly overwrites it
            }
            assemblies.addFirst(r.withoutLinking());
            assembleNext();
            return;
        }
        try {
            if (w == 0 && nonEmpty(r.part())) {
                Files.writeString(Path.of(r.sealed() + SUM), Files.size(r.part()) + " " + crc(r.part()) + "\n");
                move(r.part(), r.sealed());
                checked.add(r.sealed());
                log.accept("start_server: class cache: made " + r.sealed() + " (" + Files.size(r.sealed()) / (1024 * 1024)
                        + " MiB) from what generation " + r.generation() + " loaded, in " + seconds + " (nice "
                        + ASSEMBLY_NICE + ")");
            } else {
                failed.add(r.key());
                String how = w < 0 ? "ended" : (w & 0x7f) != 0 ? "was killed (signal " + (w & 0x7f) + ")"
                        + (took >= ASSEMBLY_LIMIT.toMillis() ? " after the " + ASSEMBLY_LIMIT.toMinutes() + " minutes it may take" : "")
                        : "exited with status " + ((w >> 8) & 0xff);
                log.accept("start_server: class cache: the JVM making " + r.sealed().getFileName() + " " + how + " after "
                        + seconds + ", without a cache (its own lines above say why); its command boots cold until "
                        + "start_server restarts");
            }
        } catch (IOException e) {
            log.accept("start_server: class cache: could not keep " + r.sealed().getFileName() + ": " + e);
        }
        deleteRecording(r);
        prune();
        assembleNext();
    }

    /** At exit: an assembly under way is killed, and what is left of it removed. */
    public void stop() {
        Assembling a = assembling;
        assembling = null;
        if (a != null) {
            synchronized (a) {
                if (!a.reaped) {
                    assembler.kill(a.pid);
                    assembler.await(a.pid);
                    a.reaped = true;
                }
            }
            deleteRecording(a.recording);
            log.accept("start_server: class cache: stopped the assembly of " + a.recording.sealed().getFileName()
                    + " (start_server is stopping); the next start records again");
        }
        assemblies.forEach(ClassCache::deleteRecording);
        assemblies.clear();
        recording.values().forEach(ClassCache::deleteRecording);
    }

    /**
     * The file is the one start_server sealed: same size, and (checked once per file while
     * start_server runs) the same CRC. The JVMs map a damaged file and may die of it (a truncated
     * one crashes JDK 17 with SIGBUS, flipped bytes crash JDK 25: both checked here), so a cache
     * is only ever handed over as it was recorded.
     */
    private boolean intact(Path sealed) {
        try {
            String[] sum = Files.readString(Path.of(sealed + SUM)).trim().split(" ");
            if (Long.parseLong(sum[0]) != Files.size(sealed)) {
                return false;
            }
            if (checked.contains(sealed)) {
                return true;
            }
            boolean same = Long.parseLong(sum[1]) == crc(sealed);
            if (same) {
                checked.add(sealed);
            }
            return same;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static long crc(Path file) throws IOException {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        byte[] buffer = new byte[1 << 20];
        try (java.io.InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                crc.update(buffer, 0, n);
            }
        }
        return crc.getValue();
    }

    private static void deleteCache(Path sealed) {
        try {
            Files.deleteIfExists(sealed);
            Files.deleteIfExists(Path.of(sealed + SUM));
        } catch (IOException e) {
            // a later prune tries again
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteRecording(Recording r) {
        try {
            Files.deleteIfExists(r.part());
            Files.deleteIfExists(r.config());
            Files.deleteIfExists(r.assemblyLog());
            Files.deleteIfExists(r.exitLog());
        } catch (IOException e) {
            // pruned later
        }
    }

    private static void touch(Path file) {
        try {
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException e) {
            // only the eviction order suffers
        }
    }

    /** Removes stale recordings, then the least recently used caches until the total fits. */
    void prune() {
        Set<Path> active = new HashSet<>();
        List<Recording> live = new ArrayList<>(recording.values());
        live.addAll(assemblies);
        if (assembling != null) {
            live.add(assembling.recording);
        }
        live.forEach(r -> {
            active.add(r.part());
            active.add(r.config());
            active.add(r.assemblyLog());
            active.add(r.exitLog());
        });
        List<Path> caches = new ArrayList<>();
        long total = 0;
        long now = System.currentTimeMillis();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(directory)) {
            for (Path p : s) {
                String name = p.getFileName().toString();
                if (!Files.isRegularFile(p) || active.contains(p)) {
                    continue;
                }
                long modified = Files.getLastModifiedTime(p).toMillis();
                if (name.contains(PART)) {
                    if (now - modified > STALE_RECORDING.toMillis() || name.contains("." + launcherPid + "-")) {
                        Files.deleteIfExists(p); // ours and no longer recording, or abandoned long ago
                    }
                    continue;
                }
                if (name.endsWith(SUM) && !Files.exists(directory.resolve(name.substring(0, name.length() - SUM.length())))) {
                    Files.deleteIfExists(p);
                    continue;
                }
                if (name.endsWith(".aot") || name.endsWith(".jsa")) {
                    caches.add(p);
                    total += Files.size(p);
                }
            }
            caches.sort(Comparator.comparingLong(ClassCache::modified));
            for (Path p : caches) {
                if (total <= maxBytes) {
                    break;
                }
                long size = Files.size(p);
                deleteCache(p);
                total -= size;
                log.accept("start_server: class cache: removed " + p.getFileName() + " (least recently used; the cache "
                        + "directory keeps at most " + maxBytes / (1024 * 1024) + " MiB)");
            }
        } catch (IOException e) {
            once("start_server: class cache: could not tidy " + directory + ": " + e);
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private void once(String line) {
        if (said.add(line)) {
            log.accept(line);
        }
    }
}
