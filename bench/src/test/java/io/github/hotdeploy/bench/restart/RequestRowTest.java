package io.github.hotdeploy.bench.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestRowTest {

    private static List<RequestRow> read(String csv) throws IOException {
        return RequestRow.read(new BufferedReader(new StringReader(csv)));
    }

    @Test
    void readsTheLoadGeneratorsRawFile() throws IOException {
        List<RequestRow> rows = read(RequestRow.HEADER + "\n"
                + "0.512,1764102254000,1.250,ok,200,3,0,0,GET 10 B\n"
                + "10.000,1764102254010,2.000,non_2xx,503,1,4,0,POST 5 B\n"
                + "11.000,1764102254011,,reset,,2,7,1,GET 10 B chunked\n");
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0)).isEqualTo(new RequestRow(1764102254000L, 1.25, "ok", 200, false, "GET 10 B"));
        assertThat(rows.get(2).resent()).isTrue();
        assertThat(rows.get(2).kind()).isEqualTo("GET 10 B chunked");
        assertThat(rows.get(1).non2xx()).isTrue();
        assertThat(rows.get(1).socketError()).isFalse();
        assertThat(rows.get(2).socketError()).isTrue();
        assertThat(rows.get(2).status()).isZero();
        assertThat(rows.get(2).latencyMs()).isNegative();
    }

    @Test
    void aChangedFormatIsAnErrorNotAShift() {
        assertThatThrownBy(() -> read("epoch_ms,offset_ms,latency_ms,outcome,status\n1,2,3,ok,200\n"))
                .isInstanceOf(IOException.class).hasMessageContaining("header");
        assertThatThrownBy(() -> read(RequestRow.HEADER + "\nx,y,z,ok,200,1,0,0,GET\n"))
                .isInstanceOf(IOException.class).hasMessageContaining("line 2");
    }

    @Test
    void emptyRunHasNoRows() throws IOException {
        assertThat(read(RequestRow.HEADER + "\n")).isEmpty();
    }
}
