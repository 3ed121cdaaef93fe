package io.github.hotdeploy.launcher.spawning;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The words of a {@code sh -c} string that is one simple command, as the shell would make them:
 * plain words, single and double quotes, a backslash outside quotes, {@code $NAME} / {@code ${NAME}}
 * expanded from the environment and {@code $1}, {@code "$@"} from the arguments after the string,
 * split on blanks when unquoted (the default IFS). Anything that needs more of the shell (other
 * expansions, globs, redirections, lists, escapes inside double quotes, a tilde, a comment) makes it
 * unreadable here, and the command runs as given: a null, never a guess. Also renders words back
 * into such a string, quoted where needed.
 */
public final class ShellCommand {
    private static final String PLAIN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./:=,@%+-";
    /** A character a field may hold but not unquoted in the string, nor after an unquoted expansion: a glob. */
    private static final String GLOB = "*?[";

    private ShellCommand() {
    }

    /** The words made so far, and the one being made: a quoted part, even empty, makes one. */
    private static final class Fields {
        final List<String> done = new ArrayList<>();
        private final StringBuilder open = new StringBuilder();
        private boolean isOpen;

        void append(CharSequence text) {
            open.append(text);
            isOpen = true;
        }

        void append(char c) {
            open.append(c);
            isOpen = true;
        }

        /** At a blank: the word being made, if any, is done. */
        void end() {
            if (isOpen) {
                done.add(open.toString());
                open.setLength(0);
                isOpen = false;
            }
        }

        boolean isOpen() {
            return isOpen;
        }
    }

    /**
     * The command's words, or null when reading it needs more than this class knows.
     *
     * @param positional the arguments after the string ({@code sh -c STRING $0 $1 ...}): {@code $0},
     *     {@code $1}... {@code ${10}}, and {@code "$@"} as a word of its own
     */
    public static List<String> words(String command, Map<String, String> environment, List<String> positional) {
        if (environment.containsKey("IFS")) {
            return null; // field splitting as the environment's IFS says: not followed here
        }
        Fields fields = new Fields();
        int i = 0;
        while (i < command.length()) {
            char c = command.charAt(i);
            if (c == ' ' || c == '\t') {
                fields.end();
                i++;
            } else if (c == '\\') {
                if (i + 1 >= command.length() || command.charAt(i + 1) == '\n') {
                    return null;
                }
                fields.append(command.charAt(i + 1)); // outside quotes a backslash quotes the next character
                i += 2;
            } else if (c == '\'') {
                int end = command.indexOf('\'', i + 1);
                if (end < 0) {
                    return null;
                }
                fields.append(command.subSequence(i + 1, end));
                i = end + 1;
            } else if (c == '"' && !fields.isOpen() && command.startsWith("\"$@\"", i)
                    && (i + 4 == command.length() || command.charAt(i + 4) == ' ' || command.charAt(i + 4) == '\t')) {
                // "$@": each argument from $1 on, a word of its own
                fields.done.addAll(positional.subList(Math.min(1, positional.size()), positional.size()));
                i += 4;
            } else if (c == '"') {
                i++;
                fields.append("");
                while (i < command.length() && command.charAt(i) != '"') {
                    char q = command.charAt(i);
                    if (q == '$') {
                        int[] end = new int[1];
                        String value = expansion(command, i, environment, positional, end);
                        if (value == null) {
                            return null;
                        }
                        fields.append(value);
                        i = end[0];
                    } else if (q == '\\' || q == '`') {
                        return null;
                    } else {
                        fields.append(q);
                        i++;
                    }
                }
                if (i >= command.length()) {
                    return null;
                }
                i++;
            } else if (c == '$') {
                int[] end = new int[1];
                String value = expansion(command, i, environment, positional, end);
                if (value == null || value.chars().anyMatch(v -> GLOB.indexOf(v) >= 0)) {
                    return null;
                }
                // unquoted: split on blanks; the first piece joins the word before it, the last the one after
                for (int v = 0; v < value.length(); v++) {
                    char x = value.charAt(v);
                    if (x == ' ' || x == '\t' || x == '\n') {
                        fields.end();
                    } else {
                        fields.append(x);
                    }
                }
                i = end[0];
            } else if (PLAIN.indexOf(c) >= 0) {
                fields.append(c);
                i++;
            } else {
                return null;
            }
        }
        fields.end();
        return fields.done.isEmpty() ? null : fields.done;
    }

    /**
     * The value of {@code $NAME}, {@code ${NAME}}, {@code $N} or {@code ${N}} at {@code at} (unset is
     * empty), its end in {@code end}; null for other forms.
     */
    private static String expansion(String command, int at, Map<String, String> environment, List<String> positional,
                                    int[] end) {
        int i = at + 1;
        boolean braced = i < command.length() && command.charAt(i) == '{';
        if (braced) {
            i++;
        }
        int start = i;
        boolean digits = i < command.length() && isDigit(command.charAt(i));
        while (i < command.length() && (digits ? isDigit(command.charAt(i)) && (braced || i == start)
                : isNameChar(command.charAt(i), i == start))) {
            i++;
        }
        if (i == start) {
            return null; // $@, $*, $(...), $$, $?: not a variable's value
        }
        String name = command.substring(start, i);
        if (braced) {
            if (i >= command.length() || command.charAt(i) != '}') {
                return null; // ${NAME:-default} and the like
            }
            i++;
        }
        end[0] = i;
        if (digits) {
            if (name.length() > 4) {
                return null;
            }
            int n = Integer.parseInt(name);
            if (n == 0 && positional.isEmpty()) {
                return null; // the shell's own name
            }
            return n < positional.size() ? positional.get(n) : "";
        }
        String value = environment.get(name);
        // the environment holds bytes (EnvBytes), the words are text: a value that is not text is not read
        return value == null ? "" : EnvBytes.toText(value);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isNameChar(char c, boolean first) {
        return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (!first && isDigit(c));
    }

    /** Words as one command string the shell splits back into exactly them. */
    public static String render(List<String> words) {
        StringBuilder b = new StringBuilder();
        for (String word : words) {
            if (b.length() > 0) {
                b.append(' ');
            }
            if (!word.isEmpty() && word.chars().allMatch(c -> PLAIN.indexOf(c) >= 0)) {
                b.append(word);
            } else {
                b.append('\'').append(word.replace("'", "'\\''")).append('\'');
            }
        }
        return b.toString();
    }
}
