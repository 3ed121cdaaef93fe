package io.github.hotdeploy.launcher.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;

/**
 * The one parser of seconds, for options, their environment variables and the envdir files that
 * stand in for them: a decimal number (fractions allowed, as the original's sleep and alarm take
 * them), surrounding blanks ignored.
 */
public final class Seconds {
    private Seconds() {
    }

    /** The value, or empty if it is not a number of seconds in range. */
    public static Optional<Duration> tryParse(String value, boolean zeroAllowed) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            BigDecimal secs = new BigDecimal(value.trim());
            if (secs.signum() < 0 || (!zeroAllowed && secs.signum() == 0)) {
                return Optional.empty();
            }
            return Optional.of(Duration.ofNanos(secs.movePointRight(9).longValueExact()));
        } catch (NumberFormatException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    /**
     * The value of {@code what} (an option or variable name, for the error).
     *
     * @throws UsageError naming {@code what} and the value
     */
    public static Duration parse(String what, String value, boolean zeroAllowed) throws UsageError {
        try {
            return convert(value, zeroAllowed);
        } catch (BadValue e) {
            throw e.usageError(what);
        }
    }

    /**
     * The value, for a converter that does not know its option's name.
     *
     * @throws BadValue if it is not a number of seconds in range
     */
    static Duration convert(String value, boolean zeroAllowed) {
        return tryParse(value, zeroAllowed).orElseThrow(() -> BadValue.invalid(value,
                zeroAllowed ? "expected a number of seconds, 0 or more" : "expected a positive number of seconds"));
    }

    /**
     * Seconds as a plain decimal without trailing zeros ({@code 7}, {@code 0.25}): the form in
     * which the original exports a number it was given ({@code --kill-old-delay=07} exports 7).
     */
    public static String text(Duration value) {
        return BigDecimal.valueOf(value.toNanos(), 9).stripTrailingZeros().toPlainString();
    }
}
