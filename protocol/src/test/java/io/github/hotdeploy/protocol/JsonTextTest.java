package io.github.hotdeploy.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonTextTest {

    @Test
    void escapesQuotesBackslashesAndControlCharactersOnly() {
        assertThat(JsonText.quote("plain é")).isEqualTo("\"plain é\"");
        assertThat(JsonText.quote("a\"b\\c\nd\re\tf\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\re\\tf\\u0001\"");
        assertThat(JsonText.quote(new StringBuilder("x="), "y").toString()).isEqualTo("x=\"y\"");
    }
}
