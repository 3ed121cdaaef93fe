package io.github.hotdeploy.testsupport;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Every wait in the suite goes through here: polling with a generous bound, never a fixed sleep.
 *
 * <p>The bound is long because a 2-core CI box that also compiles may stall a JVM start for
 * seconds; a passing test never waits for it. Override with {@code -Dit.timeout.seconds=N}.
 */
public final class Waits {
    public static final Duration TIMEOUT = Duration.ofSeconds(Long.getLong("it.timeout.seconds", 45));
    public static final Duration POLL = Duration.ofMillis(40);

    private Waits() {
    }

    /**
     * Polls until {@code probe} yields a value, then returns it; on timeout fails with
     * {@code what} and whatever {@code context} says (typically the launcher's output so far).
     */
    public static <T> T until(String what, Callable<Optional<T>> probe, Supplier<String> context) {
        return until(what, TIMEOUT, probe, context);
    }

    public static <T> T until(String what, Duration atMost, Callable<Optional<T>> probe, Supplier<String> context) {
        return until(what, atMost, probe, () -> false, context);
    }

    /**
     * As above, but gives up as soon as {@code hopeless} says the value can no longer come (the
     * process exited and its output is all read): a failing test then fails in a second, not 45.
     */
    public static <T> T until(String what, Duration atMost, Callable<Optional<T>> probe, BooleanSupplier hopeless,
            Supplier<String> context) {
        Object[] found = new Object[1];
        boolean[] gaveUp = new boolean[1];
        try {
            await(what).atMost(atMost).pollInterval(POLL).pollDelay(Duration.ZERO)
                    .ignoreExceptions()
                    .until(() -> {
                        // Read "hopeless" first: a value that arrived just before the end still counts.
                        boolean over = hopeless.getAsBoolean();
                        Optional<T> value = probe.call();
                        value.ifPresent(v -> found[0] = v);
                        gaveUp[0] = value.isEmpty() && over;
                        return value.isPresent() || over;
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("timed out after " + atMost.toSeconds() + " s waiting for " + what
                    + "\n" + context.get(), e);
        }
        if (gaveUp[0]) {
            throw new AssertionError("gave up waiting for " + what + ": it can no longer happen\n" + context.get());
        }
        @SuppressWarnings("unchecked")
        T value = (T) found[0];
        return value;
    }

    /**
     * Asserts that {@code condition} stays true for {@code period}: the only way to show that
     * something does not happen (a restart too many). Keep periods short and state why.
     */
    public static void holds(String what, Duration period, Callable<Boolean> condition, Supplier<String> context) {
        try {
            await(what).during(period).atMost(period.plus(TIMEOUT)).pollInterval(Duration.ofMillis(100))
                    .until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(what + " did not hold for " + period.toSeconds() + " s\n" + context.get(), e);
        }
    }

    public static void until(String what, Callable<Boolean> condition) {
        until(what, () -> condition.call() ? Optional.of(Boolean.TRUE) : Optional.empty(), () -> "");
    }
}
