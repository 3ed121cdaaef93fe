package io.github.hotdeploy.launcher.spawning;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The {@code java} executable a command runs in start_server's child itself: the program, or the
 * program behind {@link ExecWrappers}. That JVM gets the agent as its first argument and a class
 * cache; any other JVM gets the agent through JAVA_TOOL_OPTIONS and no cache.
 *
 * @param index where {@code java} is in the command
 * @param java the executable, found as the wrapper's execvp will find it
 * @param environment the environment the JVM gets
 * @param directory its working directory (null: start_server's)
 */
public record JavaProgram(int index, Path java, Map<String, String> environment, String directory) {

    /** The command's JVM, or null when start_server cannot tell that one is started directly. */
    public static JavaProgram find(Path program, List<String> argv, Map<String, String> environment, String directory) {
        if (isJava(program)) {
            return new JavaProgram(0, program, environment, directory);
        }
        ExecWrappers.Wrapped wrapped = ExecWrappers.peel(argv, environment, directory);
        if (wrapped == null || wrapped.index() == 0) {
            return null;
        }
        ProgramResolver.Resolution found = ProgramResolver.resolve(argv.get(wrapped.index()), wrapped.directory(),
                wrapped.environment().get("PATH"));
        return isJava(found.path()) ? new JavaProgram(wrapped.index(), found.path(), wrapped.environment(),
                wrapped.directory()) : null;
    }

    static boolean isJava(Path program) {
        return program != null && program.getFileName() != null && program.getFileName().toString().equals("java");
    }
}
