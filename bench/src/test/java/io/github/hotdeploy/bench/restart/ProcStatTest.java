package io.github.hotdeploy.bench.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcStatTest {

    @Test
    void utimePlusStimeInMilliseconds() {
        String stat = "12345 (java) S 1 12345 12345 0 -1 4194560 5000 0 10 0 250 30 0 0 20 0 40 0 9999 0 0";
        assertThat(ProcStat.cpuMsOf(stat)).isEqualTo(2800.0);
    }

    @Test
    void aCommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
        String stat = "7 (my (odd) app) R 1 7 7 0 -1 0 0 0 0 0 3 4 0 0 20 0 1 0 100 0 0";
        assertThat(ProcStat.cpuMsOf(stat)).isEqualTo(70.0);
    }

    @Test
    void ourselvesAndAGoneProcess() {
        assertThat(ProcStat.cpuMs(ProcessHandle.current().pid())).isGreaterThanOrEqualTo(0);
        assertThat(ProcStat.cpuMs(Integer.MAX_VALUE)).isEqualTo(-1);
        assertThatThrownBy(() -> ProcStat.cpuMsOf("garbage")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theNameOfAThread() {
        assertThat(ProcStat.nameOf("88 (SIGTERM handler) S 1 7 7 0 -1 0 0 0 0 0 3 4 0 0")).isEqualTo("SIGTERM handler");
    }
}
