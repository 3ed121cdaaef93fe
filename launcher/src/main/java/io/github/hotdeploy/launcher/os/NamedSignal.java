package io.github.hotdeploy.launcher.os;

/**
 * A signal as the user named it and as the kernel numbers it: the log says the name given
 * ({@code --signal-on-hup=sigint} logs INT), which {@link Signals#name(int)} cannot always
 * recover (IOT and ABRT are one number).
 */
public record NamedSignal(String name, int number) {

    public static final NamedSignal TERM = new NamedSignal("TERM", Signals.TERM);
}
