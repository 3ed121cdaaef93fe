package io.github.hotdeploy.launcher.supervision;

import java.time.Duration;

/**
 * The timing and signal choices the supervisor needs.
 *
 * @param interval how long a new generation must stay alive to count as started
 * @param readyInterval the same for a generation whose READY=1 is awaited, which counts as started
 *     once it has said so and lived this long ({@link Promotion})
 * @param signalOnHup sent to old generations once a new one has started (name and number)
 * @param signalOnTerm sent to every generation when start_server receives TERM
 * @param killOldDelay pause between "new worker is now running" and signalling the old ones
 * @param autoRestartInterval restart every this often, or null when auto-restart is off
 * @param readinessTimeout how long a generation that will notify may take to say READY=1
 * @param maxRetryBackoff cap of the exponential back-off between failed starts
 * @param killAfter SIGKILL a signalled generation still alive this long after its signal; null: never
 * @param heartbeat how often to tell the observer the loop is alive (systemd's watchdog); null: never
 */
public record SupervisorSettings(Duration interval, Duration readyInterval, String signalOnHupName, int signalOnHup,
                                 String signalOnTermName, int signalOnTerm, Duration killOldDelay,
                                 Duration autoRestartInterval, Duration readinessTimeout,
                                 Duration maxRetryBackoff, Duration killAfter, Duration heartbeat) {
}
