package io.github.hotdeploy.launcher.cli;

import java.util.Locale;

/** [ours] {@code --class-cache}, or the variable {@link Defaults#CLASS_CACHE_ENV} standing in for it. */
public enum ClassCacheMode {
    /** Java children boot from a class cache an earlier generation recorded. */
    AUTO,
    /** Never. */
    OFF;

    /**
     * The mode {@code value} names, in any case, blanks ignored; blank or absent means the
     * default ({@link Defaults#CLASS_CACHE}).
     *
     * @throws BadValue for anything else
     */
    static ClassCacheMode parse(String value) {
        String word = value == null || value.isBlank() ? Defaults.CLASS_CACHE : value.trim().toLowerCase(Locale.ROOT);
        return switch (word) {
            case "auto" -> AUTO;
            case "off" -> OFF;
            default -> throw BadValue.invalid(value, "expected auto or off");
        };
    }
}
