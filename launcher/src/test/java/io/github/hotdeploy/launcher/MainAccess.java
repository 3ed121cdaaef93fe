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

    /** What start_server did with a command line it rejects: its exit status and its stderr. */
    public record Rejection(int exitCode, java.util.List<String> stderr) {
    }

    /**
     * Runs start_server's {@code Main.run} on {@code args} that it must reject before it starts
     * anything (bad values, missing program), capturing what it prints on stderr.
     */
    public static Rejection reject(java.util.Map<String, String> env, String... args) throws InterruptedException {
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
            code = Main.run(args, env);
        } finally {
            System.setErr(stderr);
        }
        return new Rejection(code, captured.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList());
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
