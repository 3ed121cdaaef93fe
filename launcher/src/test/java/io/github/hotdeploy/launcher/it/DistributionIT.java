package io.github.hotdeploy.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotdeploy.launcher.MainAccess;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tar.gz the build leaves in launcher/target, as a user gets it: self-contained, runnable
 * from wherever it is unpacked (and through a symlink), naming nothing of the build machine,
 * with a man page that renders cleanly and documents exactly start_server's options.
 */
class DistributionIT {
    @TempDir
    static Path unpacked;

    private static Path root;

    @BeforeAll
    static void unpack() throws Exception {
        Path target = Path.of(System.getProperty("start_server.home")).getParent();
        Path archive;
        try (Stream<Path> files = Files.list(target)) {
            archive = files.filter(p -> p.getFileName().toString().matches("start_server-.*\\.tar\\.gz")).findFirst()
                    .orElseThrow(() -> new AssertionError("no start_server-VERSION.tar.gz in " + target));
        }
        assertThat(run(unpacked, "tar", "xzf", archive.toString())).isEmpty();
        try (Stream<Path> top = Files.list(unpacked)) {
            root = top.findFirst().orElseThrow();
        }
        assertThat(root.getFileName().toString()).isEqualTo(archive.getFileName().toString().replace(".tar.gz", ""));
    }

    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + out).isZero();
        return out;
    }

    @Test
    void everythingAUserNeedsIsInIt() {
        for (String file : List.of("README.md", "LICENSE", "bin/start_server", "lib/start_server.jar",
                "lib/server-starter-agent.jar", "man/man1/start_server.1", "docs/launcher.md", "docs/agent.md",
                "docs/systemd.md", "docs/containers.md", "systemd/app.service", "systemd/app.socket",
                "container/Dockerfile", "container/kubernetes.yaml")) {
            assertThat(root.resolve(file)).as(file).isRegularFile();
        }
        assertThat(root.resolve("bin/start_server")).isExecutable();
    }

    @Test
    void nothingInItNamesTheBuildMachine() throws Exception {
        Path checkout = Path.of(System.getProperty("start_server.home")).getParent().getParent().getParent();
        // The checkout's parent too: checkouts beside it (worktrees, a benchmark's) are the machine's. Not
        // when the parent is a directory every machine has (/, /tmp, /home), which the docs name rightly.
        Path parent = checkout.getParent();
        boolean shared = parent == null || parent.getNameCount() < 2
                || parent.startsWith(Path.of(System.getProperty("java.io.tmpdir")));
        Path around = shared ? checkout : parent;
        List<String> names = new ArrayList<>(List.of(around + "/", System.getProperty("user.home") + "/.m2"));
        String host = InetAddress.getLocalHost().getHostName();
        if (host.length() >= 6) {
            names.add(host); // a short name could be an ordinary word of the docs
        }
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(file.getFileName().toString()).as("the CDS archive fits only the build machine")
                        .doesNotEndWith(".jsa").doesNotEndWith(".jsa.for");
                for (String text : texts(file)) {
                    for (String name : names) {
                        if (text.contains(name)) {
                            found.add(root.relativize(file) + " names " + name);
                        }
                    }
                }
            }
        }
        assertThat(found).isEmpty();
    }

    /** The file's bytes as text, or for a jar each of its text entries (manifest, properties). */
    private static List<String> texts(Path file) throws IOException {
        if (!file.toString().endsWith(".jar")) {
            return List.of(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
        }
        List<String> texts = new ArrayList<>();
        try (JarFile jar = new JarFile(file.toFile())) {
            for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                JarEntry entry = entries.nextElement();
                if (entry.getName().endsWith(".MF") || entry.getName().endsWith(".properties")
                        || entry.getName().endsWith(".xml")) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        texts.add(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
                    }
                }
            }
        }
        return texts;
    }

    @Test
    void itRunsWhereverItIsUnpackedAndThroughASymlink() throws Exception {
        assertThat(run(unpacked, root.resolve("bin/start_server").toString(), "--version")).isNotBlank();
        Path link = unpacked.resolve("start_server");
        Files.createSymbolicLink(link, root.resolve("bin/start_server"));
        assertThat(run(unpacked, link.toString(), "--version")).isNotBlank();
        assertThat(Files.getPosixFilePermissions(root.resolve("bin/start_server"))).contains(PosixFilePermission.OTHERS_EXECUTE);
    }

    @Test
    void theOneTimeCdsStepOfTheReadmeWorksInAnUnpackedCopy(@TempDir Path elsewhere) throws Exception {
        assertThat(Files.readString(root.resolve("README.md"))).contains("bin/start_server --make-cds-archive");
        Path copy = elsewhere.resolve("start_server");
        run(elsewhere, "cp", "-a", root.toString(), copy.toString()); // the other tests look at the pristine one
        String out = run(elsewhere, copy.resolve("bin/start_server").toString(), "--make-cds-archive");
        assertThat(out).contains("wrote " + copy.toRealPath().resolve("lib/start_server.jsa"));
        assertThat(run(elsewhere, copy.resolve("bin/start_server").toString(), "--version")).isNotBlank();
    }

    @Test
    void theManPageRendersWithoutAWarningAndDocumentsExactlyTheOptions() throws Exception {
        Path page = root.resolve("man/man1/start_server.1");
        Process groff = new ProcessBuilder("groff", "-man", "-Tutf8", "-ww", "-z", page.toString())
                .redirectErrorStream(true).start();
        String warnings = new String(groff.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(groff.waitFor()).isZero();
        assertThat(warnings).isEmpty();

        String roff = Files.readString(page);
        String options = roff.substring(roff.indexOf(".SH OPTIONS"), roff.indexOf(".SH ENVIRONMENT"));
        Set<String> documented = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\.TP\\n\\.BI? ((?:\\\\-)+[a-z\\\\-]+?)(?:=| |$)").matcher(options);
        while (m.find()) {
            documented.add(m.group(1).replace("\\-", "-"));
        }
        assertThat(documented).isEqualTo(MainAccess.optionNames());
    }
}
