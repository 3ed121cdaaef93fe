package io.github.hotdeploy.bench.restart;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WrkResultTest {

    private static final String OUTPUT = """
            Running 1m test @ http://127.0.0.1:18411/
              1 threads and 8 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency    35.05ms   80.10ms    1.44s   90.46%
                Req/Sec   828.50    754.32     2.40k    62.50%
              Latency Distribution
                 50%  803.00us
                 75%   22.28ms
                 90%  106.57ms
                 99%    1.40s
              20840 requests in 30.07s, 3.40MB read
              Socket errors: connect 0, read 16, write 2, timeout 1
              Non-2xx or 3xx responses: 3
            Requests/sec:    679.63
            Transfer/sec:    113.80KB
            """;

    @Test
    void readsTheSummaryWithItsUnits() {
        WrkResult r = WrkResult.parse(OUTPUT);
        assertThat(r.requests()).isEqualTo(20840);
        assertThat(r.readErrors()).isEqualTo(16);
        assertThat(r.writeErrors()).isEqualTo(2);
        assertThat(r.timeouts()).isEqualTo(1);
        assertThat(r.socketErrors()).isEqualTo(19);
        assertThat(r.non2xx3xx()).isEqualTo(3);
        assertThat(r.p50Ms()).isEqualTo(0.803);
        assertThat(r.p99Ms()).isEqualTo(1400.0);
    }

    @Test
    void aCleanRunPrintsNoErrorLines() {
        WrkResult r = WrkResult.parse("  100 requests in 1.00s, 10KB read\nRequests/sec: 100\n");
        assertThat(r.socketErrors()).isZero();
        assertThat(r.non2xx3xx()).isZero();
        assertThat(r.p99Ms()).isEqualTo(-1);
    }

    @Test
    void noSummaryIsNoResult() {
        assertThat(WrkResult.parse("unable to connect to 127.0.0.1:1 Connection refused\n")).isNull();
    }
}
