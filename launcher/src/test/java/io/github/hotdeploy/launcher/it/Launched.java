package io.github.hotdeploy.launcher.it;

import io.github.hotdeploy.testsupport.ManagedProcess;
import io.github.hotdeploy.testsupport.OutputLines;
import io.github.hotdeploy.testsupport.Processes;
import io.github.hotdeploy.testsupport.Waits;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

/**
 * One start_server process run by a test (a {@link ManagedProcess} whose output is read line by
 * line as it comes) and the start_server lines the tests wait for. Created and torn down by
 * {@link Launcher}.
 */
final class Launched {
    private final ManagedProcess process;
    private final List<String> command;

    Launched(ManagedProcess process, List<String> command) {
        this.process = process;
        this.command = command;
    }

    long pid() {
        return process.pid();
    }

    ManagedProcess process() {
        return process;
    }

    ProcessHandle handle() {
        return process.process().toHandle();
    }

    List<String> command() {
        return command;
    }

    /** Every line so far, stdout and stderr interleaved as they were read. */
    List<OutputLines.Line> lines() {
        return process.lines().all();
    }

    List<String> stderr() {
        return process.lines().stderr();
    }

    List<String> stdout() {
        return process.lines().stdout();
    }

    /** All output, both streams, as texts. */
    List<String> output() {
        return process.lines().texts();
    }

    /** For failure messages: the command and everything it printed. */
    String describe() {
        StringBuilder text = new StringBuilder("start_server ").append(command).append(" (pid ").append(pid())
                .append(isAlive() ? ", running" : ", exited " + exitValue()).append(") printed:\n");
        lines().forEach(l -> text.append("  ").append(l).append('\n'));
        return text.toString();
    }

    /** Waits for the n-th (1-based) line of output that matches {@code regex} (find, not match). */
    Matcher awaitLine(String regex, int nth) {
        return process.lines().awaitLine(regex, nth, this::describe);
    }

    Matcher awaitLine(String regex) {
        return awaitLine(regex, 1);
    }

    /** start_server has exited and all its output is read: no line can come any more. */
    boolean outputComplete() {
        return process.lines().complete();
    }

    /** Index in {@link #lines()} of the first line matching {@code regex}, or -1. */
    int indexOf(String regex) {
        return process.lines().indexOf(regex);
    }

    /** When the first line matching {@code regex} was read (System.nanoTime). */
    long readAt(String regex) {
        return readAt(regex, 1);
    }

    /** When the n-th (1-based) line matching {@code regex} was read (System.nanoTime). */
    long readAt(String regex, int nth) {
        return process.lines().readAt(regex, nth, this::describe);
    }

    /** How many lines so far match {@code regex}. */
    long count(String regex) {
        return process.lines().count(regex);
    }

    /** The pid of the n-th worker announced by "starting new worker PID". */
    long awaitWorker(int nth) {
        return Long.parseLong(awaitLine("^starting new worker (\\d+)$", nth).group(1));
    }

    /**
     * Waits for the fixture of a generation to say it serves: its signal handlers are installed
     * from then on, so a signal sent after this is logged rather than killing it by default.
     */
    long awaitServing(int generation) {
        return Long.parseLong(awaitLine("^fixture (\\d+) gen " + generation + " serving$").group(1));
    }

    void signal(String name) {
        Processes.signal(pid(), name);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for start_server to exit and returns its status; also waits for its output to end. */
    int awaitExit() {
        return awaitExit(Waits.TIMEOUT);
    }

    int awaitExit(Duration atMost) {
        try {
            if (!process.process().waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("start_server did not exit within " + atMost.toSeconds() + " s\n" + describe());
            }
            // Output may still be in the pipe; a child holding it keeps it open, hence the bound.
            process.lines().awaitEnd(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return exitValue();
    }

    int exitValue() {
        return process.process().exitValue();
    }
}
