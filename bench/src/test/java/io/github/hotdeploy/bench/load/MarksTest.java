package io.github.hotdeploy.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MarksTest {

    @Test
    void parsesTimeAndLabelSkippingBlankLinesAndComments() {
        List<Mark> marks = Marks.parse(List.of(
                "# written by demo.sh",
                "1764099000500 SIGHUP 2",
                "",
                "1764099000100\tload started",
                "1764099000900"));

        assertThat(marks).containsExactly(
                new Mark(1764099000100L, "load started"),
                new Mark(1764099000500L, "SIGHUP 2"),
                new Mark(1764099000900L, ""));
    }

    @Test
    void aMalformedLineIsAnErrorNamingItsNumber() {
        assertThatThrownBy(() -> Marks.parse(List.of("1764099000500 ok", "12:00 SIGHUP")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2")
                .hasMessageContaining("12:00 SIGHUP");
        assertThatThrownBy(() -> Marks.parse(List.of("1764099000.5 SIGHUP")))
                .hasMessageContaining("line 1");
    }
}
