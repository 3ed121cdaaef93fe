package io.github.hotdeploy.bench.restart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the clients we did not write print, and what the proxies log, as the harness reads them. */
class ClientOutputTest {

    @TempDir
    Path dir;

    private static final String H2LOAD_SLICE = """
            finished in 10.00s, 785.30 req/s, 2.17MB/s
            requests: 7853 total, 7869 started, 7853 done, 7840 succeeded, 13 failed, 10 errored, 1 timeout
            status codes: 7840 2xx, 0 3xx, 0 4xx, 3 5xx
            """;

    @Test
    void h2loadSlicesAddUpAndItsErroredAreErrorsItsOtherFailuresNon2xx() {
        ExternalClient h2load = new ExternalClient("h2load", 32, 10_000, 0);
        ClientTotals t = h2load.parse("starting benchmark...\n" + H2LOAD_SLICE + "progress: 10% done\n" + H2LOAD_SLICE);

        assertThat(t.requests()).isEqualTo(2 * 7843);
        assertThat(t.non2xx()).isEqualTo(2 * 3);
        assertThat(t.errors()).containsEntry("errored", 20L).containsEntry("timeout", 2L);
        assertThat(t.asLoadStats().failed()).isEqualTo(6 + 22);
        assertThat(h2load.parse("unable to connect to 127.0.0.1:1 Connection refused\n")).isNull();
    }

    @Test
    void wrkCommandsNeverResendAndPostFromAScript() throws IOException {
        assertThat(new ExternalClient("wrk-close", 32, 10_000, 0).command("http://127.0.0.1:1", "/", dir))
                .containsSequence("-H", "Connection: close", "http://127.0.0.1:1/");
        assertThat(new ExternalClient("wrk-post", 32, 10_000, 4100).command("https://127.0.0.1:1", "/", dir))
                .containsSequence("-s", dir.resolve("post.lua").toString(), "https://127.0.0.1:1/echo");
        assertThat(Files.readString(dir.resolve("post.lua"))).contains("wrk.method = \"POST\"")
                .contains("string.rep(\"abcdefgh\", 512) .. string.rep(\"x\", 4)");
        assertThat(new ExternalClient("h2load", 8, 10_000, 0).command("http://127.0.0.1:1", "/", dir))
                .containsSequence("-c", "80", "-r", "8", "-n", "800", "-m", "1");
    }

    @Test
    void nginxRetriesShowAsSeveralUpstreamStatusesAndErrorsAreCounted() throws IOException {
        Path access = Files.writeString(dir.resolve("access.log"), """
                200 GET "200" "127.0.0.1:8080" 0.001 "/"
                200 GET "502, 200" "127.0.0.1:8080, 127.0.0.1:8080" 0.003 "/"
                502 POST "502" "127.0.0.1:8080" 0.002 "/echo"
                504 GET "504" "127.0.0.1:8080" 60.0 "/"
                """);
        Path error = Files.writeString(dir.resolve("error.log"), """
                2026/12/06 13:00:00 [error] 123#123: *45 upstream prematurely closed connection while reading response header from upstream, client: 127.0.0.1
                2026/12/06 13:00:01 [error] 123#123: *46 upstream prematurely closed connection while reading response header from upstream, client: 127.0.0.1
                2026/12/06 13:00:01 [warn] 123#123: *47 a client request body is buffered to a temporary file /x/tmp/body/1, client: 127.0.0.1
                2026/12/06 13:00:01 [notice] 123#123: signal process started
                """);
        ProxyLog log = ProxyLog.nginx(access, error);

        assertThat(log.requests()).isEqualTo(4);
        assertThat(log.retried()).isEqualTo(1);
        assertThat(log.serverErrors()).containsEntry(502, 1L).containsEntry(504, 1L);
        assertThat(log.errorLogLines()).containsExactly(java.util.Map.entry("upstream prematurely closed connection", 2L));
        assertThat(log.summary()).isEqualTo("502: 1, 504: 1, 1 retried");
        assertThat(log.verdictFailures()).isEqualTo(3);
    }

    @Test
    void haproxyRetriesAreItsRetryCount() throws IOException {
        Path out = Files.writeString(dir.resolve("process.log"), """
                1764000000000 HAPROXY 200 0 ---- GET 1 app/app "/"
                1764000000001 HAPROXY 200 +1 ---- GET 1 app/app "/"
                1764000000002 HAPROXY 502 3 SH-- POST -1 app/app "/echo"
                1764000000003 HAPROXY 400 0 CR-- <BADREQ> -1 front/<NOSRV> "<BADREQ>"
                1764000000004 [WARNING]  (1) : something else
                """);
        ProxyLog log = ProxyLog.haproxy(out);

        assertThat(log.requests()).isEqualTo(3);
        assertThat(log.retried()).isEqualTo(2);
        assertThat(log.summary()).isEqualTo("502: 1, 2 retried");
        assertThat(log.errorLogLines()).containsExactly(java.util.Map.entry("SH--", 1L));
        assertThat(ProxyLog.haproxy(dir.resolve("missing")).summary()).isEqualTo("0 5xx, 0 retried");
    }

    @Test
    void wireMockStubsServeBodiesOfThePatternAndMatchPostsOnTheExactBody() throws IOException {
        Files.createDirectories(dir.resolve("mappings"));
        Files.createDirectories(dir.resolve("__files"));
        WireMockStubs.write(dir, new Apps.Checked(java.util.List.of(0, 10), java.util.List.of(5), 2));

        assertThat(Files.readAllBytes(dir.resolve("__files/bytes-10-1.txt")))
                .isEqualTo(io.github.hotdeploy.testapps.common.Bodies.pattern(1, 10));
        String mappings = Files.readString(dir.resolve("mappings/harness.json"));
        assertThat(mappings).contains("\"urlPath\": \"/bytes\"", "\"size\": {\"equalTo\": \"10\"}",
                "\"bodyPatterns\": [{\"equalTo\": \"" + new String(io.github.hotdeploy.testapps.common.Bodies.pattern(1, 5),
                        java.nio.charset.StandardCharsets.US_ASCII) + "\"}]");
        assertThat(mappings.split("\"request\"")).hasSize(1 + 1 + 4 + 2 + 1);
    }
}
