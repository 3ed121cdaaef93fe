package io.github.hotdeploy.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotdeploy.launcher.cli.StartServerCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The docs name only files and options that exist. */
class DocsTest {
    /** The repository, from the launcher module's directory (where Maven runs the tests). */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** What start_server's users read: every --option in them must be one of start_server's. */
    private static final List<String> ABOUT_START_SERVER = List.of("README.md", "docs/launcher.md", "docs/systemd.md",
            "docs/containers.md", "launcher/src/dist/README.md", "launcher/src/dist/man/start_server.1",
            "launcher/src/dist/systemd/app.service", "launcher/src/dist/systemd/app.socket",
            "launcher/src/dist/container/Dockerfile", "launcher/src/dist/container/kubernetes.yaml");

    /** Options of other programs, and spellings of ours, that those files mention on purpose. */
    private static final Set<String> NOT_START_SERVER_OPTIONS = Set.of(
            "--make-cds-archive",                                   // bin/start_server's own, before the launcher
            "--resta", "--k", "--sta", "--opt", "--signal-on-",     // abbreviations and patterns, explained where used
            "--module", "--limit-modules", "--upgrade-module-path", // java's, in the agent-injection rules
            "--class-path",                                         // java's, in the class cache's key
            "--pid", "--fork", "--mount-proc",                      // unshare's, in the tests described
            "--time", "--signal",                                   // docker stop's, docker kill's
            "--now",                                                // systemctl enable's
            "--system", "--gid", "--no-create-home",                // groupadd's and useradd's, in the Dockerfile
            "--full",                                               // scripts/restart-under-load.sh's
            "--exec", "--dry-run",                                  // Jetty start.jar's (launcher.md)
            "--runtime", "--ulimit",                                // podman's, in scripts/systemd-check.sh's command
            "--host");                                              // the demo app's

    @Test
    void everyOptionTheUserDocsNameExists() throws IOException {
        Set<String> options = new TreeSet<>();
        for (CommandLine.Model.OptionSpec option : Main.commandLine(new StartServerCommand()).getCommandSpec().options()) {
            options.addAll(List.of(option.names()));
        }
        Pattern token = Pattern.compile("(?<![\\w-])(?:\\\\-|-){2}([a-zA-Z][a-zA-Z0-9]*(?:(?:\\\\-|-)[a-zA-Z0-9]*)*)");
        List<String> unknown = new ArrayList<>();
        for (String file : ABOUT_START_SERVER) {
            String text = Files.readString(ROOT.resolve(file), StandardCharsets.UTF_8);
            Matcher m = token.matcher(text);
            while (m.find()) {
                String name = "--" + m.group(1).replace("\\-", "-");
                if (!options.contains(name) && !NOT_START_SERVER_OPTIONS.contains(name)) {
                    unknown.add(file + ": " + name);
                }
            }
        }
        assertThat(unknown).as("options named in the docs that start_server does not have").isEmpty();
    }

    @Test
    void everyRelativeLinkInTheDocsLeadsToAFile() throws IOException {
        Pattern link = Pattern.compile("\\]\\(([^)\\s]+)\\)");
        List<String> broken = new ArrayList<>();
        for (Path doc : markdown()) {
            Matcher m = link.matcher(Files.readString(doc, StandardCharsets.UTF_8));
            while (m.find()) {
                String target = m.group(1);
                if (target.startsWith("http:") || target.startsWith("https:") || target.startsWith("mailto:")
                        || target.startsWith("#")) {
                    continue;
                }
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                if (!Files.exists(doc.getParent().resolve(file))) {
                    broken.add(ROOT.relativize(doc) + ": " + target);
                }
            }
        }
        assertThat(broken).as("links to files that do not exist").isEmpty();
    }

    @Test
    void everyDocsPageTheCodeAndScriptsNameExists() throws IOException {
        Pattern page = Pattern.compile("(?<![\\w/.-])docs/[A-Za-z0-9_./-]+\\.md");
        List<String> missing = new ArrayList<>();
        List<Path> sources = new ArrayList<>();
        for (String dir : List.of("bin", "scripts", "launcher/src", "docs")) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(dir))) {
                files.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".png")).forEach(sources::add);
            }
        }
        sources.add(ROOT.resolve("README.md"));
        for (Path source : sources) {
            Matcher m = page.matcher(Files.readString(source, StandardCharsets.ISO_8859_1));
            while (m.find()) {
                if (!Files.exists(ROOT.resolve(m.group()))) {
                    missing.add(ROOT.relativize(source) + ": " + m.group());
                }
            }
        }
        assertThat(missing).as("docs pages named that do not exist").isEmpty();
    }

    /**
     * The man page is written by hand: each default --help states (picocli's descriptions, built
     * from cli/Defaults) must be in the man page's paragraph on that option too.
     */
    @Test
    void theManPageStatesTheDefaultsHelpStates() throws IOException {
        String roff = Files.readString(ROOT.resolve("launcher/src/dist/man/start_server.1"), StandardCharsets.UTF_8);
        String options = roff.substring(roff.indexOf(".SH OPTIONS"), roff.indexOf(".SH ENVIRONMENT"));
        Pattern helpDefault = Pattern.compile("\\(default(?: for it)?: ([^,;)]+)");
        List<String> missing = new ArrayList<>();
        for (CommandLine.Model.OptionSpec option : Main.commandLine(new StartServerCommand()).getCommandSpec().options()) {
            String paragraph = manParagraph(options, option.longestName());
            Matcher m = helpDefault.matcher(String.join(" ", option.description()));
            while (m.find()) {
                if (!Pattern.compile("default[^.]*?(?<![\\w$/~])" + Pattern.quote(m.group(1)) + "(?![\\w/])").matcher(paragraph).find()) {
                    missing.add(option.longestName() + ": default " + m.group(1) + " (man page: " + paragraph + ")");
                }
            }
        }
        assertThat(missing).as("defaults --help states that the man page does not").isEmpty();
    }

    /** The text of an option's .TP paragraph, roff's requests and escapes taken out. */
    private static String manParagraph(String options, String name) {
        Matcher start = Pattern.compile("(?m)^\\.BI? " + Pattern.quote(name.replace("-", "\\-")) + "(?:=| |$)")
                .matcher(options);
        if (!start.find()) {
            return "";
        }
        int end = options.indexOf("\n.TP", start.end());
        String raw = options.substring(start.end(), end < 0 ? options.length() : end);
        return raw.replaceAll("(?m)^\\.[A-Z]+ ?", "").replace("\\-", "-").replaceAll("\\s+", " ").trim();
    }

    private static List<Path> markdown() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("launcher/src/dist/README.md")));
        try (Stream<Path> files = Files.walk(ROOT.resolve("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).forEach(docs::add);
        }
        return docs;
    }
}
