package io.github.hotdeploy.launcher.os;

import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/** Linux signal names and numbers, accepted as the original's kill() accepts them. */
public final class Signals {
    public static final int HUP = 1;
    public static final int INT = 2;
    public static final int QUIT = 3;
    public static final int ILL = 4;
    public static final int ABRT = 6;
    public static final int BUS = 7;
    public static final int FPE = 8;
    public static final int KILL = 9;
    public static final int USR1 = 10;
    public static final int SEGV = 11;
    public static final int USR2 = 12;
    public static final int PIPE = 13;
    public static final int ALRM = 14;
    public static final int TERM = 15;
    public static final int CHLD = 17;
    public static final int CONT = 18;
    public static final int STOP = 19;

    /** Highest real-time signal number on Linux; numbers above it do not exist. */
    public static final int MAX = 64;

    private static final Map<String, Integer> BY_NAME = new TreeMap<>();

    static {
        String[] names = {null, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1",
            "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU",
            "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"};
        for (int i = 1; i < names.length; i++) {
            BY_NAME.put(names[i], i);
        }
        BY_NAME.put("IOT", 6);
        BY_NAME.put("POLL", 29);
        BY_NAME.put("CLD", 17);
    }

    private Signals() {
    }

    /**
     * Parses {@code TERM}, {@code SIGTERM}, {@code term} or {@code 15}, as Perl's kill() does.
     * Returns empty for anything that is not a signal, so the caller can name the culprit.
     */
    public static OptionalInt parse(String text) {
        if (text == null) {
            return OptionalInt.empty();
        }
        String name = text.trim().toUpperCase(Locale.ROOT);
        if (name.startsWith("SIG")) {
            name = name.substring(3);
        }
        if (!name.isEmpty() && name.chars().allMatch(Character::isDigit) && name.length() <= 2) {
            int number = Integer.parseInt(name);
            return number >= 1 && number <= MAX ? OptionalInt.of(number) : OptionalInt.empty();
        }
        Integer number = BY_NAME.get(name);
        return number == null ? OptionalInt.empty() : OptionalInt.of(number);
    }

    /** The canonical name without SIG, as the original prints it in its log lines. */
    public static String normalize(String text) {
        String name = text.trim().toUpperCase(Locale.ROOT);
        return name.startsWith("SIG") ? name.substring(3) : name;
    }

    public static String name(int number) {
        for (Map.Entry<String, Integer> e : BY_NAME.entrySet()) {
            if (e.getValue() == number && !e.getKey().equals("IOT") && !e.getKey().equals("POLL")
                    && !e.getKey().equals("CLD")) {
                return e.getKey();
            }
        }
        return Integer.toString(number);
    }
}
