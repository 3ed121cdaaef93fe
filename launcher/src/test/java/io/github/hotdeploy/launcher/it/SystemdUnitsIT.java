package io.github.hotdeploy.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped units, as systemd itself reads them ({@code systemd-analyze verify}, which also
 * checks that the commands exist: the install path is pointed at the built distribution), and
 * their bounds consistent with start_server's options.
 */
class SystemdUnitsIT {
    @TempDir
    Path units;

    private static Path dist() {
        return Path.of(System.getProperty("start_server.home"));
    }

    private String unit(String name) throws Exception {
        return Files.readString(dist().resolve("systemd").resolve(name)).replace("/opt/start_server", dist().toString());
    }

    @Test
    void systemdAnalyzeVerifyFindsNothingToSay() throws Exception {
        Files.writeString(units.resolve("app.service"), unit("app.service"));
        Files.writeString(units.resolve("app.socket"), unit("app.socket"));

        // --man=no: the Documentation= page is installed by the user, not on this machine.
        Process verify = new ProcessBuilder("systemd-analyze", "verify", "--man=no",
                units.resolve("app.socket").toString(), units.resolve("app.service").toString())
                .directory(units.toFile()).redirectErrorStream(true).start();
        String said = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(verify.exitValue()).as(said).isZero();
        assertThat(said).as("systemd-analyze verify prints a warning for a setting it ignores").isEmpty();
    }

    @Test
    void theUnitsBoundsFitStartServersOptions() throws Exception {
        String service = unit("app.service");
        assertThat(service).contains("Type=notify", "NotifyAccess=main", "KillMode=mixed", "ExecReload=" + dist()
                + "/bin/start_server --restart");
        assertThat(seconds(service, "TimeoutStopSec=(\\d+)")).as("systemd's KILL after start_server's own")
                .isGreaterThan(seconds(service, "--force-kill-after=(\\d+)"));
        assertThat(seconds(service, "--force-kill-after=(\\d+)")).as("start_server's KILL after the drain")
                .isGreaterThan(seconds(service, "--drain-timeout=(\\d+)"));
        assertThat(seconds(service, "TimeoutStartSec=(\\d+)")).as("a reload runs under TimeoutStartSec")
                .isGreaterThan(seconds(service, "--client-timeout=(\\d+)"));
        assertThat(unit("app.socket")).contains("ListenStream=8080", "Accept=no");
        assertThat(service).contains("--port=8080");
    }

    private static int seconds(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
