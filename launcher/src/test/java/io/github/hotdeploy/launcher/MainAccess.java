package io.github.hotdeploy.launcher;

/** Test access to Main's package-private argument normalisation. */
public final class MainAccess {
    private MainAccess() {
    }

    public static String[] normalize(String... args) {
        return Main.normalize(args);
    }
}
