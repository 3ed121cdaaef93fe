package io.github.hotdeploy.it.support;

import io.github.hotdeploy.testsupport.Jdk;
import io.github.hotdeploy.testsupport.Listen;
import io.github.hotdeploy.testsupport.Repo;
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
                argv.addAll(List.of("-jar", Repo.testApp(module).toString(), "--port", String.valueOf(listen.port())));
                argv.addAll(Arrays.asList(extra));
                return new Command(argv, Map.of());
            }
        };
    }

    /** How a wrapper puts itself in front of a java command line. */
    @FunctionalInterface
    public interface Wrapper {
        List<String> wrap(List<String> java, Jdk jdk, Path work) throws IOException;
    }

    /**
     * The JDK's httpserver app (the cheapest JVM server to start) behind a wrapper, as
     * production starts Java: {@code WRAPPER... java FLAGS -jar test-app-httpserver.jar --port N}.
     */
    public static App httpServerThrough(String name, Wrapper wrapper) {
        return new App() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Command command(Jdk jdk, Listen listen, Path work) throws IOException {
                List<String> argv = java(jdk, work);
                argv.addAll(List.of("-jar", Repo.testApp("httpserver").toString(), "--port", String.valueOf(listen.port())));
                return new Command(wrapper.wrap(argv, jdk, work), Map.of());
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

    /**
     * {@code catalina.sh run} of the Tomcat distribution with its stock server.xml (the shutdown
     * port and an AJP connector; see test-apps/README.md), the ports as system properties: HTTP on
     * the port given to start_server, the shutdown and AJP ports the ones given here, which the
     * application binds itself.
     */
    public static App tomcatStockDistribution(int shutdownPort, int ajpPort) {
        return new App() {
            @Override
            public String name() {
                return "tomcat distribution, stock server.xml";
            }

            @Override
            public Command command(Jdk jdk, Listen listen, Path work) throws IOException {
                Path home = Repo.distributions().resolve("tomcat");
                Path base = copyTree(Repo.distributions().resolve("catalina-base-stock"), work.resolve("catalina-base"));
                return new Command(List.of(home.resolve("bin/catalina.sh").toString(), "run"), Map.of(
                        "JAVA_HOME", jdk.home().toString(),
                        "JRE_HOME", jdk.home().toString(),
                        "CATALINA_HOME", home.toString(),
                        "CATALINA_BASE", base.toString(),
                        "JAVA_OPTS", String.join(" ", JVM_FLAGS),
                        "CATALINA_OPTS", "-Dhttp.port=" + listen.port() + " -Dshutdown.port=" + shutdownPort
                                + " -Dajp.port=" + ajpPort));
            }
        };
    }

    /** H2 from Maven Central: its web console on start_server's port, its TCP server on a port of its own. */
    public static App h2(int tcpPort) {
        return new App() {
            @Override
            public String name() {
                return "h2";
            }

            @Override
            public Command command(Jdk jdk, Listen listen, Path work) {
                List<String> argv = java(jdk, work);
                argv.addAll(List.of("-Dh2.bindAddress=127.0.0.1", "-jar", Repo.distributions().resolve("h2/h2.jar").toString(),
                        "-web", "-webPort", String.valueOf(listen.port()), "-tcp", "-tcpPort", String.valueOf(tcpPort),
                        "-baseDir", work.resolve("h2").toString()));
                return new Command(argv, Map.of());
            }
        };
    }

    /** The Spring Boot app with Actuator on a management port of its own. */
    public static App springBootManagement(int managementPort) {
        return new App() {
            @Override
            public String name() {
                return "spring-boot-management";
            }

            @Override
            public Command command(Jdk jdk, Listen listen, Path work) {
                List<String> argv = java(jdk, work);
                argv.addAll(List.of("-jar", Repo.testApp("spring-boot-management").toString(), "--port",
                        String.valueOf(listen.port()), "--management-port", String.valueOf(managementPort)));
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
                argv.addAll(List.of("-jar", Repo.testApp("unixsocket").toString(), "--path", listen.path().toString()));
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
        return jettyDistribution(List.of());
    }

    /**
     * {@code java -jar $JETTY_HOME/start.jar --exec}: start.jar forks the server's JVM (as it does
     * for a base whose modules need JVM options), with this test's temporary directory.
     */
    public static App jettyDistributionForked() {
        return jettyDistribution(List.of("--exec"));
    }

    private static App jettyDistribution(List<String> startOptions) {
        return new App() {
            @Override
            public String name() {
                return "jetty distribution" + (startOptions.isEmpty() ? "" : " " + String.join(" ", startOptions));
            }

            @Override
            public Command command(Jdk jdk, Listen listen, Path work) {
                Path home = Repo.distributions().resolve("jetty-home");
                Path base = Repo.distributions().resolve("jetty-base");
                List<String> argv = java(jdk, work);
                argv.addAll(List.of("-Djetty.home=" + home, "-Djetty.base=" + base, "-jar", home.resolve("start.jar").toString()));
                argv.addAll(startOptions);
                if (!startOptions.isEmpty()) {
                    argv.add("-Djava.io.tmpdir=" + work.resolve("tmp")); // start.jar passes it to the forked JVM
                }
                argv.addAll(List.of("jetty.http.host=127.0.0.1", "jetty.http.port=" + listen.port()));
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
