package io.github.hotdeploy.launcher.supervision;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether the generation that counts as started really takes start_server's sockets, from what
 * start_server can see without any help from the program: how many connections wait in each
 * listener's accept queue, look after look, and what the generation's agents reported. A pure
 * function: the supervisor feeds it a look a second for {@link #WINDOW} after each start.
 *
 * <p>Two findings, each at most once per listener and generation:
 * <ul>
 *   <li><b>nobody accepts</b>: connections have waited in the queue for {@link #STUCK_LOOKS}
 *       looks in a row and not one left it (the count never went down). A server that accepts,
 *       however loaded, takes some between two looks a second apart.</li>
 *   <li><b>its JVM took none of it</b>: the generation's own JVM (the worker, or a program known
 *       to start Java) runs the agent, yet has not adopted the socket {@link #NO_ADOPTION_AFTER}
 *       after the generation counted as started. Found without any client.</li>
 * </ul>
 * The likely cause comes from the agent's reports: the JVM bound other ports of its own (it
 * listens elsewhere), or no JVM of the generation runs the agent (the program does not use
 * SERVER_STARTER_PORT, or the agent never reached its JVM).
 */
public final class ListenerDiagnosis {

    /** How long after a start the listeners are looked at. */
    public static final Duration WINDOW = Duration.ofSeconds(30);
    /** Looks in a row, a second apart, with connections waiting and none taken. */
    static final int STUCK_LOOKS = 5;
    /** How long a JVM with the agent may serve without adopting a socket before it is named. */
    static final Duration NO_ADOPTION_AFTER = Duration.ofSeconds(10);

    private ListenerDiagnosis() {
    }

    /** One look: connections waiting in each served TCP listener's accept queue, by key. */
    public record Look(long atNanos, Map<String, Integer> queued) {
    }

    /**
     * What is known of the serving generation.
     *
     * @param agentJvms the JVMs of it that said they run the agent
     * @param adopted the keys its agents adopted
     * @param ownBinds the addresses its application bound itself (as keys)
     * @param ownJvm its JVM is known: the worker runs the agent itself, or the program is known
     *     to start a JVM; otherwise a JVM with the agent may be a helper of a server that uses
     *     the socket without the agent (a Perl server calling a Java tool)
     */
    public record Generation(int number, long worker, long startedAtNanos, List<Long> agentJvms, Set<String> adopted,
                             List<String> ownBinds, boolean ownJvm, List<Started> started) {
    }

    /**
     * A process that a JVM of the generation, {@code parent}, started before it took a socket
     * (the agent reports it): it inherited none of the sockets.
     */
    public record Started(long parent, long pid, String program) {

        /** Its program is the {@code java} launcher: a JVM, most likely the server's. */
        boolean isJvm() {
            return program.equals("java") || program.endsWith("/java");
        }
    }

    /**
     * What a generation's agents reported, as {@link Workers#agents} gives it.
     *
     * @param liveJvms the JVMs of it that said they run the agent and are still alive
     * @param ownJvm see {@link Generation#ownJvm()}
     */
    public record Agents(List<Long> liveJvms, Set<String> adopted, List<String> ownBinds, boolean ownJvm,
                         List<Started> started) {
        public static final Agents NONE = new Agents(List.of(), Set.of(), List.of(), false, List.of());
    }

    /** A warning about one listener. */
    public record Finding(String key, String message) {
    }

    /**
     * The findings the looks so far support. {@code looks} are in time order, the last one now.
     */
    public static List<Finding> findings(List<Look> looks, Generation generation, long nowNanos) {
        List<Finding> findings = new ArrayList<>();
        if (looks.isEmpty()) {
            return findings;
        }
        for (String key : looks.get(looks.size() - 1).queued().keySet()) {
            int waiting = stuck(looks, key);
            boolean noAdoption = generation.ownJvm() && !generation.agentJvms().isEmpty()
                    && !generation.adopted().contains(key)
                    && nowNanos - generation.startedAtNanos() >= NO_ADOPTION_AFTER.toNanos();
            if (waiting > 0) {
                findings.add(new Finding(key, "nobody accepts on " + display(key) + ": " + waiting
                        + " connection(s) waiting, none taken in " + (STUCK_LOOKS - 1) + " secs, "
                        + age(generation, nowNanos) + ": " + cause(key, generation)));
            } else if (noAdoption) {
                findings.add(new Finding(key, "nothing takes " + display(key) + " " + age(generation, nowNanos)
                        + ": " + cause(key, generation)));
            }
        }
        return findings;
    }

    /** The connections waiting at the last look if the last STUCK_LOOKS all had some and none went down; else 0. */
    static int stuck(List<Look> looks, String key) {
        if (looks.size() < STUCK_LOOKS) {
            return 0;
        }
        int previous = 0;
        for (Look look : looks.subList(looks.size() - STUCK_LOOKS, looks.size())) {
            Integer queued = look.queued().get(key);
            if (queued == null || queued <= 0 || queued < previous) {
                return 0;
            }
            previous = queued;
        }
        return previous;
    }

    private static String age(Generation generation, long nowNanos) {
        return "generation " + generation.number() + " (worker " + generation.worker() + ") counts as started since "
                + Math.max(0, (nowNanos - generation.startedAtNanos()) / 1_000_000_000L) + " secs";
    }

    private static String cause(String key, Generation generation) {
        if (generation.adopted().contains(key)) {
            return "its JVM took the socket but does not accept on it: it is stuck or saturated"
                    + " (a thread dump, jstack PID, shows what its acceptor does)";
        }
        java.util.Optional<String> started = startedJvm(key, generation.started());
        if (started.isPresent()) {
            return started.get();
        }
        if (!generation.agentJvms().isEmpty()) {
            String jvms = generation.agentJvms().size() == 1 ? "its JVM " + generation.agentJvms().get(0)
                    : "its JVMs " + generation.agentJvms();
            String run = jvms + " run" + (generation.agentJvms().size() == 1 ? "s" : "") + " the agent but ";
            String configure = "configure the application to listen on port " + port(key)
                    + ", or give start_server the port it uses";
            if (generation.ownBinds().isEmpty()) {
                // Nothing bound at all is also what a slow start looks like (a Spring Boot app on a
                // saturated machine binds after a minute): name both, the operator can tell.
                return run + "has bound no TCP port yet: either it is still starting (give it longer with"
                        + " --wait-ready-timeout) or it never listens on " + display(key) + " (" + configure + ")";
            }
            return run + "never bound " + display(key) + "; it bound " + String.join(", ", generation.ownBinds())
                    + " instead. " + Character.toUpperCase(configure.charAt(0)) + configure.substring(1);
        }
        return "the program does not use SERVER_STARTER_PORT, and no JVM of it runs the agent. A JVM needs the"
                + " agent (not --java-agent=off; a wrapper such as sudo or env -i must keep the environment, SERVER_STARTER_PORT and JAVA_TOOL_OPTIONS);"
                + " another program must accept on the socket passed in SERVER_STARTER_PORT instead of binding its own";
    }

    /**
     * When a JVM of the generation started another JVM before anything took {@code key}: that
     * JVM inherited none of the sockets (the JDK closes every fd above 2 in a process it starts),
     * so a server there binds its own port, which start_server holds: "Address already in use".
     * Jetty's start.jar does this with --exec. Empty when no JVM was started.
     */
    public static java.util.Optional<String> startedJvm(String key, List<Started> started) {
        for (Started s : started) {
            if (s.isJvm()) {
                return java.util.Optional.of("JVM " + s.pid() + " (" + s.program() + ") was started by JVM " + s.parent()
                        + " before that took " + display(key) + ", and did not inherit the sockets (a process a JVM starts"
                        + " gets no fd above 2): a server there binds " + display(key) + " itself and fails with \"Address"
                        + " already in use\". Run the server's JVM directly: Jetty's start.jar without --exec (java -jar"
                        + " start.jar --dry-run prints the server's command line), see docs/launcher.md#which-jvms-get-the-agent");
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * Why a generation that was waited for never said READY=1, when its agents tell: which of the
     * served listeners no JVM of it adopted, and what it bound instead. Empty when nothing is known.
     */
    public static java.util.Optional<String> whyNotReady(Set<String> served, Agents agents, long worker) {
        List<String> missing = new ArrayList<>();
        for (String key : served) {
            if (!agents.adopted().contains(key)) {
                missing.add(key);
            }
        }
        if (missing.isEmpty() || agents.liveJvms().isEmpty()) {
            return java.util.Optional.empty();
        }
        Generation generation = new Generation(0, worker, 0, agents.liveJvms(), agents.adopted(), agents.ownBinds(),
                agents.ownJvm(), agents.started());
        return java.util.Optional.of(cause(missing.get(0), generation));
    }

    /** The key as an address: a bare port is the IPv4 wildcard. */
    static String display(String key) {
        return key.chars().allMatch(Character::isDigit) ? "0.0.0.0:" + key : key;
    }

    private static String port(String key) {
        return key.substring(key.lastIndexOf(':') + 1);
    }
}
