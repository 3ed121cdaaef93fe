package io.github.hotdeploy.bench.load;

import io.github.hotdeploy.protocol.JsonText;
import java.util.Locale;

/** Number and text formatting shared by the text, JSON and CSV outputs; never locale-dependent. */
public final class Format {

    private Format() {
    }

    /** Nanoseconds as milliseconds with microsecond precision; "" for a missing value (negative). */
    static String ms(long nanos) {
        return nanos < 0 ? "" : String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    static String decimal(double value, int places) {
        return String.format(Locale.ROOT, "%." + places + "f", value);
    }

    /** A JSON string literal, quotes included. */
    public static String jsonString(String s) {
        return JsonText.quote(s);
    }

    /** Milliseconds as a JSON number, or null for a missing value. */
    static String jsonMs(long nanos) {
        return nanos < 0 ? "null" : ms(nanos);
    }

    /** RFC 4180 quoting, only when needed. */
    static String csvField(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
