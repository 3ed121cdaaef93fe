package io.github.hotdeploy.it.support;

import io.github.hotdeploy.testsupport.Jdk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The apps of test-apps/, each with the command line its users would write. */
public final class Apps {

    /**
     * Light flags for the apps on a busy two-core machine: C1 only and the serial GC start a JVM
     * quicker and with fewer threads; -Xshare:auto keeps CDS when the agent is attached.
     */
    public static final List<String> JVM_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto");

    private Apps() {
    }

    /** {@code java FLAGS -jar test-app-MODULE.jar --port N EXTRA...} */
    public static App jar(String module, String... extra) {
        String name = extra.length == 0 ? module : module + " " + String.join(" ", extra);
        return new App() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Command command(Jdk jdk, Listen listen, Path work) {
                List<String> argv = java(jdk, work);
                argv.addAll(List.of("-jar", Repo.appJar(module).toString(), "--port", String.valueOf(listen.port())));
                argv.addAll(Arrays.asList(extra));
                return new Command(argv, Map.of());
            }
        };
    }

    /** {@code java FLAGS -jar test-app-unixsocket.jar --path WORK/app.sock} */
    public static App unixSocketJar() {
        return new App() {
            @Override
            public String name() {
                return "unixsocket";
            }

            @Override
            public Listen listen(Path work) {
                return Listen.unix(work.resolve("app.sock"));
            }

            @Override
            public Command command(Jdk jdk, Listen listen, Path work) {
                List<String> argv = java(jdk, work);
                argv.addAll(List.of("-jar", Repo.appJar("unixsocket").toString(), "--path", listen.path().toString()));
                return new Command(argv, Map.of());
            }
        };
    }

    /**
     * {@code catalina.sh run} of the real Tomcat distribution, with a private copy of the
     * CATALINA_BASE template (its logs and work directories are per test) and the port as the
     * system property our server.xml reads.
     */
    public static App tomcatDistribution() {
        return new App() {
            @Override
            public String name() {
                return "tomcat distribution";
            }

            @Override
            public Command command(Jdk jdk, Listen listen, Path work) throws IOException {
                Path home = Repo.distributions().resolve("tomcat");
                Path base = copyTree(Repo.distributions().resolve("catalina-base"), work.resolve("catalina-base"));
                return new Command(List.of(home.resolve("bin/catalina.sh").toString(), "run"), Map.of(
                        "JAVA_HOME", jdk.home().toString(),
                        "JRE_HOME", jdk.home().toString(),
                        "CATALINA_HOME", home.toString(),
                        "CATALINA_BASE", base.toString(),
                        "JAVA_OPTS", String.join(" ", JVM_FLAGS),
                        "CATALINA_OPTS", "-Dhttp.host=127.0.0.1 -Dhttp.port=" + listen.port()));
            }
        };
    }

    /** {@code java -jar $JETTY_HOME/start.jar} on the jetty.base the build made, port as start properties. */
    public static App jettyDistribution() {
        return new App() {
            @Override
            public String name() {
                return "jetty distribution";
            }

            @Override
            public Command command(Jdk jdk, Listen listen, Path work) {
                Path home = Repo.distributions().resolve("jetty-home");
                Path base = Repo.distributions().resolve("jetty-base");
                List<String> argv = java(jdk, work);
                argv.addAll(List.of("-Djetty.home=" + home, "-Djetty.base=" + base, "-jar", home.resolve("start.jar").toString(),
                        "jetty.http.host=127.0.0.1", "jetty.http.port=" + listen.port()));
                return new Command(argv, Map.of());
            }
        };
    }

    /**
     * The java command with our flags and a temporary directory inside the test's work directory:
     * servers leave files there (Spring Boot's tomcat.PORT.* are never removed, a KILLed Jetty keeps
     * its unpacked WAR), and the next run's fresh work directory clears them.
     */
    private static List<String> java(Jdk jdk, Path work) {
        Path tmp = work.resolve("tmp");
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> argv = new ArrayList<>();
        argv.add(jdk.java().toString());
        argv.addAll(JVM_FLAGS);
        argv.add("-Djava.io.tmpdir=" + tmp);
        return argv;
    }

    private static Path copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return to;
    }
}
