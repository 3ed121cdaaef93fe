package io.github.hotdeploy.launcher.supervision;

import io.github.hotdeploy.launcher.os.NamedSignal;
import java.time.Duration;

/**
 * The timing and signal choices of the command line that the supervisor acts on, made once by
 * the CLI and handed over as they are.
 *
 * @param interval how long a new generation must stay alive to count as started
 * @param readyInterval the same for a generation whose READY=1 is awaited, which counts as started
 *     once it has said so and lived this long ({@link Promotion}): --interval if given, else none
 * @param signalOnHup sent to old generations once a new one has started
 * @param signalOnTerm sent to every generation when start_server receives TERM
 * @param killOldDelay pause between "new worker is now running" and signalling the old ones
 *     (already defaulted: 5 s with auto-restart, else 0)
 * @param autoRestartInterval restart every this often, or null when auto-restart is off
 * @param readinessTimeout how long a generation that will notify may take to say READY=1
 * @param killAfter SIGKILL a signalled generation still alive this long after its signal; null: never
 *     (the original's behaviour)
 */
public record SupervisorSettings(Duration interval, Duration readyInterval, NamedSignal signalOnHup,
                                 NamedSignal signalOnTerm, Duration killOldDelay, Duration autoRestartInterval,
                                 Duration readinessTimeout, Duration killAfter) {
}
