package io.github.hotdeploy.launcher.cli;

import io.github.hotdeploy.launcher.os.NamedSignal;
import io.github.hotdeploy.launcher.os.Signals;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalInt;
import picocli.CommandLine.ITypeConverter;

/**
 * picocli's converters for the options' types. Each throws {@link BadValue}, which the command
 * line turns into one line naming the option; the variables that stand in for options are read
 * with the same parsers.
 */
final class Converters {
    private Converters() {
    }

    /** Seconds, 0 allowed ({@link Seconds}). */
    static final class SecondsOrZero implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Seconds.convert(value, true);
        }
    }

    /** Seconds, more than 0 ({@link Seconds}). */
    static final class PositiveSeconds implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Seconds.convert(value, false);
        }
    }

    /** A signal as Perl's kill() takes it: TERM, SIGTERM, term or 15; logged by the name given. */
    static final class Signal implements ITypeConverter<NamedSignal> {
        @Override
        public NamedSignal convert(String value) {
            String name = Signals.normalize(value);
            OptionalInt number = Signals.parse(name);
            if (number.isEmpty()) {
                throw BadValue.unknownSignal(name);
            }
            return new NamedSignal(name, number.getAsInt());
        }
    }

    /** The listen backlog: a whole number, at least 1. */
    static final class Backlog implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int backlog;
            try {
                backlog = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw BadValue.invalid(value, "expected a whole number");
            }
            if (backlog < 1) {
                throw BadValue.invalid(value, "must be at least 1");
            }
            return backlog;
        }
    }

    /** {@code --wait-ready}: auto, always or never, in any case, blanks ignored. */
    static final class WaitReady implements ITypeConverter<Settings.Readiness> {
        @Override
        public Settings.Readiness convert(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "auto" -> Settings.Readiness.AUTO;
                case "always" -> Settings.Readiness.NOTIFY;
                case "never" -> Settings.Readiness.NONE;
                default -> throw BadValue.invalid(value, "expected auto, always or never");
            };
        }
    }

    /** {@code --class-cache} and its variable ({@link ClassCacheMode#parse}). */
    static final class ClassCache implements ITypeConverter<ClassCacheMode> {
        @Override
        public ClassCacheMode convert(String value) {
            return ClassCacheMode.parse(value);
        }
    }
}
