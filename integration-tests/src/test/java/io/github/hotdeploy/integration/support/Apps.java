package io.github.hotdeploy.integration.support;

import io.github.hotdeploy.testapps.launch.Jvm;
import io.github.hotdeploy.testapps.launch.Launch;
import io.github.hotdeploy.testapps.launch.Target;
import io.github.hotdeploy.testapps.launch.TestApp;
import io.github.hotdeploy.testapps.launch.TestApps;
import io.github.hotdeploy.testsupport.Jdk;
import io.github.hotdeploy.testsupport.Listen;
import io.github.hotdeploy.testsupport.Repo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The apps of test-apps' one table ({@link TestApps}, which the restart harness reads too), each
 * with the command line its users would write, on the JDK under test with light flags.
 */
public final class Apps {

    /**
     * Light flags for the apps on a busy two-core machine: C1 only and the serial GC start a JVM
     * quicker and with fewer threads; -Xshare:auto keeps CDS when the agent is attached.
     */
    public static final List<String> JVM_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto");

    private Apps() {
    }

    /** The table's app of that name, told the ports it binds itself ({@link TestApp#ownPorts()}). */
    public static App of(String name, Integer... ownPorts) {
        TestApp app = TestApps.get(name);
        return new App() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Listen listen(Path work) {
                return app.unixSocket() ? Listen.unix(TestApps.socket(work)) : Listen.freeTcpPort();
            }

            @Override
            public Command command(Jdk jdk, Listen listen, Path work) throws IOException {
                jdk.requireInstalled();
                return command(jdk.home(), listen, work);
            }

            @Override
            public Command command(Path javaHome, Listen listen, Path work) throws IOException {
                if (!app.built(Repo.root())) {
                    throw new IllegalStateException(Repo.root().resolve(app.artifact())
                            + " is missing: it is built by the reactor (mvn -B -pl MODULE -am verify)");
                }
                Jvm jvm = new Jvm(javaHome.resolve("bin/java").toString(), javaHome, JVM_FLAGS);
                Launch launch = app.launch(new Target(Repo.root(), jvm, listen.port(), List.of(ownPorts), work));
                return new Command(launch.command(), launch.env());
            }
        };
    }

    /**
     * The table's command line of an app as it is (no JVM flags, no ports of its own), its
     * temporary files in {@code dir}: for the drain tests, which run start_server themselves.
     */
    public static List<String> argv(String name, String java, int port, Path dir) throws IOException {
        return TestApps.get(name).launch(new Target(Repo.root(), Jvm.of(java), port, List.of(), dir)).command();
    }

    /** How a wrapper puts itself in front of a java command line. */
    @FunctionalInterface
    public interface Wrapper {
        List<String> wrap(List<String> java, Jdk jdk, Path work) throws IOException;
    }

    /**
     * The JDK's httpserver app (the cheapest JVM server to start) behind a wrapper, as
     * production starts Java: {@code WRAPPER... java FLAGS -jar test-app-httpserver.jar --port=N}.
     */
    public static App httpServerThrough(String name, Wrapper wrapper) {
        App httpserver = of("httpserver");
        return new App() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Command command(Jdk jdk, Listen listen, Path work) throws IOException {
                Command java = httpserver.command(jdk, listen, work);
                return new Command(wrapper.wrap(java.argv(), jdk, work), Map.of());
            }
        };
    }

    /** A command line as one shell word each, for {@code sh -c}. */
    public static String shellQuoted(List<String> argv) {
        StringBuilder sb = new StringBuilder();
        for (String arg : argv) {
            sb.append(sb.length() == 0 ? "" : " ").append('\'').append(arg.replace("'", "'\\''")).append('\'');
        }
        return sb.toString();
    }
}
