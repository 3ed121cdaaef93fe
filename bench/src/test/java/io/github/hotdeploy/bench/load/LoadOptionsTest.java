package io.github.hotdeploy.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LoadOptionsTest {

    @Test
    void defaultsAreBoundedInTimeAndCount() {
        LoadOptions o = LoadOptions.parse();

        assertThat(o.targetUrl()).isEqualTo("http://127.0.0.1:8080/");
        assertThat(o.mode()).isEqualTo(Mode.KEEPALIVE);
        assertThat(o.durationMs()).isEqualTo(LoadOptions.DEFAULT_DURATION_MS);
        assertThat(o.requests()).isEqualTo(LoadOptions.MAX_REQUESTS);
        assertThat(o.resend()).as("a request sent again is a failed one: never by default").isFalse();
        assertThat(o.workload().kinds()).containsExactly("GET /");
    }

    @Test
    void checkedRequestsComeInEveryKindAndSeed() {
        LoadOptions o = LoadOptions.parse("--sizes=0,110000", "--post-sizes=4096", "--seeds=2", "--resend=idle-close");

        assertThat(o.resend()).isTrue();
        Workload w = o.workload();
        assertThat(w.kinds()).containsExactly("GET 0 B", "GET 0 B chunked", "GET 110000 B", "GET 110000 B chunked",
                "POST 4096 B");
        // Seed by seed, kind by kind: consecutive requests of a worker differ in kind.
        assertThat(java.util.stream.LongStream.range(0, 10).mapToInt(n -> w.pick(0, n).kind()))
                .containsExactly(0, 1, 2, 3, 4, 0, 1, 2, 3, 4);
        assertThat(new String(w.pick(0, 3).request(), java.nio.charset.StandardCharsets.US_ASCII))
                .startsWith("GET /bytes?size=110000&seed=0&chunked=1 HTTP/1.1\r\n");
        String post = new String(w.pick(1, 8).request(), java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(post).startsWith("POST /echo?seed=1 HTTP/1.1\r\n").contains("Content-Length: 4096\r\n");
        assertThat(w.pick(1, 8).idempotent()).isFalse();
        assertThat(w.pick(0, 2).expectedBody()).hasSize(110_000);
        assertThat(LoadOptions.parse("--sizes=10", "--framing=chunked").workload().kinds()).containsExactly("GET 10 B chunked");
    }

    @Test
    void acceptsBothOptionForms() {
        LoadOptions o = LoadOptions.parse("--port", "9000", "--path=/sleep?ms=5", "--connections=8",
                "--duration", "1.5", "--mode=close", "--timeout-ms=250", "--rate=100", "--out", "/tmp/x",
                "--raw", "--marks=/tmp/m");

        assertThat(o.targetUrl()).isEqualTo("http://127.0.0.1:9000/sleep?ms=5");
        assertThat(o.connections()).isEqualTo(8);
        assertThat(o.durationMs()).isEqualTo(1500);
        assertThat(o.mode()).isEqualTo(Mode.CLOSE);
        assertThat(o.timeoutMs()).isEqualTo(250);
        assertThat(o.rate()).isEqualTo(100.0);
        assertThat(o.outDir()).isEqualTo(Path.of("/tmp/x"));
        assertThat(o.marksFile()).isEqualTo(Path.of("/tmp/m"));
        assertThat(o.raw()).isTrue();
    }

    @Test
    void aRequestCountAloneIsStillBoundedInTime() {
        LoadOptions o = LoadOptions.parse("--requests=100");

        assertThat(o.requests()).isEqualTo(100);
        assertThat(o.durationMs()).isEqualTo(LoadOptions.MAX_DURATION_MS);
    }

    @Test
    void urlSetsHostPortAndPath() {
        LoadOptions o = LoadOptions.parse("--url=http://[::1]:8081/health?x=1");

        assertThat(o.host()).isEqualTo("::1");
        assertThat(o.port()).isEqualTo(8081);
        assertThat(o.targetUrl()).isEqualTo("http://[::1]:8081/health?x=1");
    }

    @Test
    void refusesTargetsOffThisMachine() {
        assertThatThrownBy(() -> LoadOptions.parse("--host=192.0.2.10"))
                .hasMessageContaining("refusing non-loopback target 192.0.2.10");
        assertThatThrownBy(() -> LoadOptions.parse("--url=http://198.51.100.7/"))
                .hasMessageContaining("refusing non-loopback");
    }

    @Test
    void rejectsValuesOutOfBoundsNamingTheOption() {
        assertThatThrownBy(() -> LoadOptions.parse("--connections=0")).hasMessageContaining("--connections");
        assertThatThrownBy(() -> LoadOptions.parse("--connections=100000")).hasMessageContaining("--connections");
        assertThatThrownBy(() -> LoadOptions.parse("--duration=86400")).hasMessageContaining("--duration");
        assertThatThrownBy(() -> LoadOptions.parse("--requests=99999999")).hasMessageContaining("--requests");
        assertThatThrownBy(() -> LoadOptions.parse("--mode=pipelined")).hasMessageContaining("keepalive or close");
        assertThatThrownBy(() -> LoadOptions.parse("--path=no-slash")).hasMessageContaining("--path");
        assertThatThrownBy(() -> LoadOptions.parse("--port=x")).hasMessageContaining("--port expects a whole number");
        assertThatThrownBy(() -> LoadOptions.parse("--raw")).hasMessageContaining("--raw needs --out");
        assertThatThrownBy(() -> LoadOptions.parse("--bogus=1")).hasMessageContaining("unknown option: --bogus=1");
        assertThatThrownBy(() -> LoadOptions.parse("--port")).hasMessageContaining("--port needs a value");
        assertThatThrownBy(() -> LoadOptions.parse("--resend=always")).hasMessageContaining("--resend expects off or idle-close");
        assertThatThrownBy(() -> LoadOptions.parse("--sizes=1,x")).hasMessageContaining("--sizes expects a whole number");
        assertThatThrownBy(() -> LoadOptions.parse("--sizes=-1")).hasMessageContaining("--sizes must be between");
        assertThatThrownBy(() -> LoadOptions.parse("--seeds=0")).hasMessageContaining("--seeds");
        assertThatThrownBy(() -> LoadOptions.parse("--framing=gzip")).hasMessageContaining("--framing");
        assertThatThrownBy(() -> LoadOptions.parse("--path=/x", "--sizes=1")).hasMessageContaining("exclude each other");
    }
}
