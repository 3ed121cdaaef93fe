package io.github.hotdeploy.integration.support;

import io.github.hotdeploy.testsupport.Jdk;
import io.github.hotdeploy.testsupport.Listen;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A test app as start_server runs it: where it listens and the command line (program, arguments,
 * extra environment) for a given JDK. The app itself is unmodified; only its command line and
 * environment vary, as an operator would write them.
 */
public interface App {

    /** What start_server runs: argv[0] is a java executable or a script such as catalina.sh. */
    record Command(List<String> argv, Map<String, String> env) {
    }

    String name();

    default Listen listen(Path work) {
        return Listen.freeTcpPort();
    }

    Command command(Jdk jdk, Listen listen, Path work) throws IOException;

    /**
     * The same on the JDK at {@code javaHome}, a link that a test re-points between generations
     * (one start_server for every JDK). Only the apps of the table ({@link Apps#of}) can.
     */
    default Command command(Path javaHome, Listen listen, Path work) throws IOException {
        throw new UnsupportedOperationException(name() + " runs on a Jdk only");
    }
}
