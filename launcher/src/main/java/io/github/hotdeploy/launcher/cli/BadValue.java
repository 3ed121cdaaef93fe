package io.github.hotdeploy.launcher.cli;

import java.util.function.UnaryOperator;
import picocli.CommandLine;

/**
 * A value that an option, or the variable or default standing in for it, cannot take. The
 * converters throw it without knowing which option they convert; the one-line error names the
 * option (or variable) once that is known, in the same words for both.
 */
public final class BadValue extends CommandLine.TypeConversionException {
    private static final long serialVersionUID = 1L;

    /** The error line, given the name of the option or variable. */
    private final transient UnaryOperator<String> wording;

    private BadValue(UnaryOperator<String> wording) {
        super(wording.apply("the option"));
        this.wording = wording;
    }

    /** {@code invalid value for NAME: 'VALUE' (WHY)}. */
    static BadValue invalid(String value, String why) {
        return new BadValue(name -> "invalid value for " + name + ": '" + value + "' (" + why + ")");
    }

    /** {@code unknown signal name for NAME: 'SIGNAL'}, the signal as normalised. */
    static BadValue unknownSignal(String signal) {
        return new BadValue(name -> "unknown signal name for " + name + ": '" + signal + "'");
    }

    /** The one-line error about {@code name}, an option or variable. */
    public String about(String name) {
        return wording.apply(name);
    }

    /** The usage error (exit 1) about {@code name}. */
    public UsageError usageError(String name) {
        return new UsageError(about(name));
    }

    /**
     * The one line start_server prints for a command line picocli rejected: a bad value names its
     * option by its full name, however it was typed; anything else is picocli's own message.
     */
    public static String line(CommandLine.ParameterException e) {
        if (e.getCause() instanceof BadValue bad && e.getArgSpec() instanceof CommandLine.Model.OptionSpec option) {
            return bad.about(option.longestName());
        }
        return e.getMessage() + " (see start_server --help)";
    }
}
