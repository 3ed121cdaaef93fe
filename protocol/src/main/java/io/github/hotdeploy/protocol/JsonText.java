package io.github.hotdeploy.protocol;

import java.util.Locale;

/**
 * JSON string literals as everything here writes them (start_server's {@code --status --json},
 * the benchmarks' results): quotes, backslashes and control characters escaped, nothing else.
 */
public final class JsonText {

    /** Characters escaped by name, and the letter after the backslash for each. */
    private static final String NAMED = "\"\\\n\r\t";
    private static final String NAMED_AS = "\"\\nrt";

    private JsonText() {
    }

    /** {@code s} as a JSON string literal, quotes included, appended to {@code out}. */
    public static StringBuilder quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int named = NAMED.indexOf(c);
            if (named >= 0) {
                out.append('\\').append(NAMED_AS.charAt(named));
            } else if (c < 0x20) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"');
    }

    /** {@code s} as a JSON string literal, quotes included. */
    public static String quote(String s) {
        return quote(new StringBuilder(s.length() + 2), s).toString();
    }
}
