package io.github.hotdeploy.launcher.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;

/**
 * Which start_server the integration tests run: ours (the default) or the Perl original.
 *
 * <p>Chosen with {@code -Dstart_server.impl=ours|perl}. Running the very same tests against the
 * original is how we know each test states the original's behaviour and not our guess of it.
 */
enum Impl {
    OURS, PERL;

    /** Where Debian's libserver-starter-perl installs the original. */
    static final Path PERL_START_SERVER = Paths.get("/usr/bin/start_server");

    static Impl selected() {
        String value = System.getProperty("start_server.impl", "ours").trim().toLowerCase(Locale.ROOT);
        switch (value) {
            case "ours":
            case "":
                return OURS;
            case "perl":
                return PERL;
            default:
                throw new IllegalArgumentException("start_server.impl must be ours or perl, not " + value);
        }
    }

    Path executable() {
        if (this == PERL) {
            return PERL_START_SERVER;
        }
        String home = System.getProperty("start_server.home");
        if (home == null || home.isBlank()) {
            throw new IllegalStateException("system property start_server.home is not set (failsafe sets it to launcher/target/dist)");
        }
        return Paths.get(home, "bin", "start_server");
    }

    static boolean perlAvailable() {
        return Files.isExecutable(PERL_START_SERVER);
    }

    /**
     * Skips a test of behaviour the spec marks [ours] when the original runs: it does worse
     * there on purpose, and asserting that would only pin down its bugs.
     */
    static void assumeOurs(String whyTheOriginalDiffers) {
        assumeTrue(selected() == OURS, () -> "[ours] behaviour; the original differs: " + whyTheOriginalDiffers);
    }
}
