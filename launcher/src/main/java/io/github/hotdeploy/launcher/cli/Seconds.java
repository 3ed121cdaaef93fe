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
        Optional<Duration> parsed = tryParse(value, zeroAllowed);
        if (parsed.isEmpty()) {
            throw new UsageError("invalid value for " + what + ": '" + value + "' (expected "
                    + (zeroAllowed ? "a number of seconds, 0 or more" : "a positive number of seconds") + ")");
        }
        return parsed.get();
    }
}
