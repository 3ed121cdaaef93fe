package io.github.hotdeploy.launcher;

import io.github.hotdeploy.launcher.cli.StartServerCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Test access to Main's package-private command line: tests parse exactly as users' start_server does. */
public final class MainAccess {
    private MainAccess() {
    }

    public static String[] normalize(String... args) {
        return Main.normalize(args);
    }

    /** The command after Main's own parsing of {@code args}. */
    public static StartServerCommand parse(String... args) {
        StartServerCommand command = new StartServerCommand();
        CommandLine cli = Main.commandLine(command);
        cli.parseArgs(Main.normalize(cli.getCommandSpec(), args));
        return command;
    }

    /** {@code --help} as printed at {@code width} columns. */
    public static String help(int width) {
        CommandLine cli = Main.commandLine(new StartServerCommand());
        cli.getCommandSpec().usageMessage().autoWidth(false).width(width);
        StringWriter out = new StringWriter();
        cli.usage(new PrintWriter(out, true));
        return out.toString();
    }

    /** The long name of every option, as users type it. */
    public static java.util.Set<String> optionNames() {
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (CommandLine.Model.OptionSpec option : Main.commandLine(new StartServerCommand()).getCommandSpec().options()) {
            names.add(option.longestName());
        }
        return names;
    }
}
