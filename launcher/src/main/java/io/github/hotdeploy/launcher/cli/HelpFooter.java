package io.github.hotdeploy.launcher.cli;

import java.util.List;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.IHelpSectionRenderer;

/**
 * The end of {@code --help}: what each signal does and how the environment stands in for options,
 * laid out as a table whose descriptions wrap under themselves at whatever width the help is
 * printed (picocli wraps a plain footer at the margin, mid-sentence).
 */
final class HelpFooter implements IHelpSectionRenderer {
    private static final int NAME_WIDTH = 12;

    /** Each signal and what start_server does on it, in the order a reader needs them. */
    static final List<List<String>> SIGNALS = List.of(
            List.of("HUP", "start a new generation; the old ones get --signal-on-hup once it is up. "
                    + "HUPs that arrive during a restart collapse into one more restart."),
            List.of("TERM", "send --signal-on-term to every generation, wait for them, clean up, exit 0 "
                    + "(5 if --force-kill-after had to KILL one)."),
            List.of("INT", "send TERM to every generation, wait for them, clean up, exit 0."),
            List.of("USR1", "reopen --log-file (for logrotate), or restart its command if it has exited."),
            List.of("others", "logged and ignored: start_server never dies without cleaning up."));

    static final List<String> PARAGRAPHS = List.of(
            "Environment: ENVDIR, ENABLE_AUTO_RESTART, KILL_OLD_DELAY and AUTO_RESTART_INTERVAL stand in for "
                    + "the options of the same meaning; an option given on the command line wins.",
            "Full documentation: man start_server (man/man1/start_server.1 in the distribution) and "
                    + "docs/launcher.md.");

    @Override
    public String render(Help help) {
        int width = help.commandSpec().usageMessage().width();
        TextTable signals = TextTable.forColumns(help.colorScheme(),
                new Column(NAME_WIDTH, 2, Column.Overflow.SPAN),
                new Column(width - NAME_WIDTH, 0, Column.Overflow.WRAP));
        SIGNALS.forEach(row -> signals.addRowValues(row.get(0), row.get(1)));
        StringBuilder text = new StringBuilder(String.format("%nSignals:%n")).append(signals);
        for (String paragraph : PARAGRAPHS) {
            TextTable block = TextTable.forColumns(help.colorScheme(), new Column(width, 0, Column.Overflow.WRAP));
            block.addRowValues(paragraph);
            text.append(String.format("%n")).append(block);
        }
        return text.toString();
    }
}
