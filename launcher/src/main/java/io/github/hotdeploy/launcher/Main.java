package io.github.hotdeploy.launcher;

import io.github.hotdeploy.launcher.cli.BadValue;
import io.github.hotdeploy.launcher.cli.ExitCodes;
import io.github.hotdeploy.launcher.cli.Settings;
import io.github.hotdeploy.launcher.cli.StartServerCommand;
import io.github.hotdeploy.launcher.cli.UsageError;
import io.github.hotdeploy.launcher.client.RestartClient;
import io.github.hotdeploy.launcher.client.StatusClient;
import io.github.hotdeploy.launcher.client.StopClient;
import io.github.hotdeploy.launcher.os.Limits;
import io.github.hotdeploy.launcher.os.Native;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** Entry point; the only place that calls System.exit. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Limits.load(); // first, while descriptors are to spare
        int code;
        try {
            code = run(args, System.getenv());
        } catch (InterruptedException e) {
            code = ExitCodes.FAILURE;
        } catch (RuntimeException | Error e) {
            String limit = Limits.explain(e);
            Log.error(limit != null ? limit : "internal error: " + e);
            code = ExitCodes.FAILURE;
        }
        Log.flush(StartServer.EXIT_FLUSH);
        System.out.flush();
        System.exit(code);
    }

    /** The command line exactly as users get it; tests parse through this too. */
    static CommandLine commandLine(StartServerCommand command) {
        CommandLine cli = new CommandLine(command)
                .setOptionsCaseInsensitive(true)       // --signal-on-TERM=TERM is seen in real deployments
                .setAbbreviatedOptionsAllowed(true)    // Getopt::Long accepts unique abbreviations
                .setStopAtPositional(false)            // Getopt::Long permutes: options may follow the program
                .setPosixClusteredShortOptionsAllowed(false)
                .setOverwrittenOptionsAllowed(true)    // Getopt::Long: a repeated option takes the last value
                .setUnmatchedOptionsArePositionalParams(false);
        cli.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER, StartServerCommand.footer());
        return cli;
    }

    static int run(String[] args, Map<String, String> env) throws InterruptedException {
        StartServerCommand command = new StartServerCommand();
        CommandLine cli = commandLine(command);
        try {
            cli.parseArgs(normalize(cli.getCommandSpec(), args));
        } catch (CommandLine.ParameterException e) {
            Log.error(BadValue.line(e));
            return ExitCodes.USAGE;
        }
        if (cli.isUsageHelpRequested()) {
            cli.usage(new PrintWriter(System.out, true));
            return ExitCodes.OK;
        }
        if (cli.isVersionHelpRequested()) {
            cli.printVersionHelp(new PrintWriter(System.out, true));
            return ExitCodes.OK;
        }
        try {
            Settings settings = command.settings(env);
            String tooFew = command.mode() == StartServerCommand.Mode.START
                    ? Limits.tooFewOpenFiles(settings.sockets().size()) : null;
            if (tooFew != null) {
                // Checked before anything is loaded that needs a descriptor: below this, the JVM
                // fails wherever it next opens a jar, with errors that name nothing.
                Log.error(tooFew);
                return ExitCodes.FAILURE;
            }
            return switch (command.mode()) {
                case START -> new StartServer(settings, command.optionVariables(settings), env).run();
                case RESTART -> RestartClient.run(Native.get(), settings.pidFile(), settings.statusFile(),
                        settings.restartTimeout());
                case STOP -> StopClient.run(Native.get(), settings.pidFile());
                case STATUS -> StatusClient.run(Native.get(), settings.pidFile(), command.json(), System.out);
            };
        } catch (UsageError e) {
            Log.error(e.getMessage());
            return e.exitCode();
        }
    }

    /**
     * Getopt::Long also accepts long options with a single dash ({@code -port=80}). Rewrites those
     * that name one of our options, up to {@code --}. Like Getopt::Long in its default (permute)
     * mode, options may also follow the program's name; only {@code --} protects the program's
     * own arguments.
     */
    static String[] normalize(String[] args) {
        return normalize(commandLine(new StartServerCommand()).getCommandSpec(), args);
    }

    /** As {@link #normalize(String[])}, with the model already built (building it is a third of start-up). */
    static String[] normalize(CommandLine.Model.CommandSpec spec, String[] args) {
        List<String> result = new ArrayList<>();
        boolean options = true;
        boolean expectValue = false;
        for (String arg : args) {
            if (!options) {
                result.add(arg);
                continue;
            }
            if (expectValue) {
                expectValue = false;
                result.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                options = false;
                result.add(arg);
                continue;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                result.add(arg); // the program or one of its arguments: options may still follow, as in the original
                continue;
            }
            String longForm = arg.startsWith("--") ? arg : "-" + arg;
            String name = longForm.contains("=") ? longForm.substring(0, longForm.indexOf('=')) : longForm;
            if (meansStatusFile(name, longForm.contains("="))) {
                longForm = STATUS_FILE + longForm.substring(name.length());
                name = STATUS_FILE;
            }
            CommandLine.Model.OptionSpec option = find(spec, name);
            if (option == null) {
                result.add(arg); // let picocli report it as unknown
                continue;
            }
            expectValue = !longForm.contains("=") && option.arity().min() > 0;
            result.add(longForm);
        }
        return result.toArray(new String[0]);
    }

    private static final String STATUS_FILE = "--status-file";

    /**
     * The original's {@code --status-file} may be abbreviated down to {@code --sta}, and so may be
     * given as {@code --status=FILE}. Our {@code --status} takes no value: only that exact name,
     * without {@code =}, means it; every other abbreviation keeps the original's meaning.
     */
    static boolean meansStatusFile(String name, boolean withValue) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        return lower.length() >= "--sta".length() && STATUS_FILE.startsWith(lower)
                && (!lower.equals("--status") || withValue);
    }

    /** The option a (possibly abbreviated, any case) name means, or null if none or ambiguous. */
    private static CommandLine.Model.OptionSpec find(CommandLine.Model.CommandSpec spec, String name) {
        String wanted = name.toLowerCase(java.util.Locale.ROOT);
        CommandLine.Model.OptionSpec match = null;
        for (CommandLine.Model.OptionSpec option : spec.options()) {
            String longest = option.longestName().toLowerCase(java.util.Locale.ROOT);
            if (longest.equals(wanted)) {
                return option;
            }
            if (longest.startsWith(wanted)) {
                if (match != null) {
                    return null;
                }
                match = option;
            }
        }
        return match;
    }
}
