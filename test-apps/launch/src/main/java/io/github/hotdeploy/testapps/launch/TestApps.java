package io.github.hotdeploy.testapps.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The test apps by name, each with the command line its module documents (demo-app/README.md,
 * test-apps/README.md): the one table the restart harness and the integration tests read. Each is
 * an unmodified app: under start_server the launcher injects the agent, in the harness's contrasts
 * nothing does.
 *
 * <p>Most are {@code java -jar X.jar --port=N}. The legacy deployments are the real Tomcat and
 * Jetty distributions (laid out by {@code test-apps/distributions}) serving the test WAR, run the
 * way an operator runs them: {@code catalina.sh run} with CATALINA_HOME/CATALINA_BASE, and
 * {@code java -jar start.jar} on a jetty.base. Each run gets a private copy of the base directory
 * in its own directory (the generations of one run share it, as they would on a server); the
 * distribution itself is never written to.
 */
public final class TestApps {

    private static final String DISTRIBUTIONS = "test-apps/distributions/target";

    private static final Map<String, TestApp> BY_NAME = new LinkedHashMap<>();

    /** Every app, in the restart harness's order. */
    public static final Map<String, TestApp> ALL = Collections.unmodifiableMap(BY_NAME);

    static {
        add(new JarApp("demo", "demo-app/target/demo-app.jar", List.of(), false, false, false));
        jar("jetty", "jetty");
        jar("jetty11", "jetty11");
        jar("tomcat", "tomcat");
        jar("tomcat-nio2", "tomcat", "--protocol=nio2");
        jar("netty", "netty");
        jar("netty-epoll", "netty", "--transport=epoll");
        jar("undertow", "undertow");
        add(new JarApp("httpserver", testApp("httpserver"), List.of(), true, false, false));
        jar("serversocket", "serversocket");
        jar("spring-boot", "spring-boot");
        jar("vertx", "vertx");
        add(new WireMockApp("wiremock"));
        add(new TomcatDistribution("tomcat-dist", "catalina-base"));
        add(new JettyDistribution("jetty-dist", List.of(), true));
        // Servers that bind ports of their own besides start_server's (issue 15).
        add(new TomcatDistribution("tomcat-dist-stock", "catalina-base-stock"));
        add(new ManagementPortApp("spring-boot-management", testApp("spring-boot-management")));
        // Variants for the clients that need them: h2load (HTTP/2 in clear text) and https.
        add(new JarApp("jetty-h2c", testApp("jetty"), List.of("--h2c=yes"), true, true, true));
        add(new TlsJarApp("jetty-tls", testApp("jetty")));
        add(new TlsJarApp("tomcat-tls", testApp("tomcat")));
        // The integration tests' own: no plain HTTP server on start_server's one TCP port for the harness.
        add(new JettyDistribution("jetty-dist-exec", List.of("--exec"), false));
        add(new H2("h2"));
        add(new UnixSocketApp("unixsocket", testApp("unixsocket")));
    }

    private TestApps() {
    }

    /** The app of that name; an error listing the known names otherwise. */
    public static TestApp get(String name) {
        TestApp app = ALL.get(name);
        if (app == null) {
            throw new IllegalArgumentException("unknown server '" + name + "'; known: " + String.join(",", ALL.keySet()));
        }
        return app;
    }

    /** test-apps/MODULE/target/test-app-MODULE.jar, relative to the repository. */
    public static String testApp(String module) {
        return "test-apps/" + module + "/target/test-app-" + module + ".jar";
    }

    /** The unix socket a {@link TestApp#unixSocket()} app listens on in a run's directory. */
    public static Path socket(Path dir) {
        return dir.resolve("app.sock");
    }

    private static void add(TestApp app) {
        BY_NAME.put(app.name(), app);
    }

    private static void jar(String name, String module, String... extra) {
        add(new JarApp(name, testApp(module), List.of(extra), true, false, true));
    }

    /** {@code java OPTIONS -jar JAR --port=N EXTRA...}, as the READMEs give it. */
    record JarApp(String name, String artifact, List<String> extraArgs, boolean bodies, boolean http2,
                  boolean announcesClose) implements TestApp {
        @Override
        public Launch launch(Target t) throws IOException {
            List<String> cmd = javaJar(t, artifact);
            cmd.add("--port=" + t.port());
            cmd.addAll(extraArgs);
            return new Launch(cmd, Map.of());
        }
    }

    /**
     * A test app serving https with a self-signed key made for the run by keytool (in its
     * directory: nothing secret is in the repository, the password is no secret either).
     */
    record TlsJarApp(String name, String artifact) implements TestApp {
        static final String PASSWORD = "restart-harness";

        @Override
        public String scheme() {
            return "https";
        }

        @Override
        public Launch launch(Target t) throws IOException {
            Path dir = t.dir();
            Path keystore = dir.resolve("key.p12");
            if (!Files.exists(keystore)) {
                String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
                Process p = new ProcessBuilder(keytool, "-genkeypair", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                        "-storepass", PASSWORD, "-alias", "test", "-keyalg", "EC", "-groupname", "secp256r1",
                        "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "7")
                        .redirectErrorStream(true).redirectOutput(dir.resolve("keytool.log").toFile()).start();
                try {
                    if (p.waitFor() != 0) {
                        throw new IOException("keytool failed (see " + dir.resolve("keytool.log") + ")");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while making a key", e);
                }
            }
            List<String> cmd = javaJar(t, artifact);
            cmd.addAll(List.of("--port=" + t.port(), "--keystore=" + keystore, "--keystore-password=" + PASSWORD));
            return new Launch(cmd, Map.of(), true);
        }
    }

    /**
     * WireMock's standalone jar as published (Jetty 11 inside), serving the stubs its user writes
     * into {@link #root} (the restart harness: GET / , GET /bytes and POST /echo of each size and
     * seed). No request journal: a stub server under load would keep every request otherwise.
     */
    public record WireMockApp(String name) implements TestApp {
        /** Where the stubs go: mappings/ and __files/ below it, made by the launch. */
        public static Path root(Path dir) {
            return dir.resolve("wiremock");
        }

        @Override
        public String artifact() {
            return "test-apps/wiremock/target/wiremock-standalone.jar";
        }

        @Override
        public boolean announcesClose() {
            return false;
        }

        @Override
        public boolean sleeps() {
            return false;
        }

        @Override
        public Launch launch(Target t) throws IOException {
            Path root = root(t.dir());
            Files.createDirectories(root.resolve("mappings"));
            Files.createDirectories(root.resolve("__files"));
            List<String> cmd = javaJar(t, artifact());
            cmd.addAll(List.of("--port", Integer.toString(t.port()), "--bind-address", "127.0.0.1", "--root-dir", root.toString(),
                    "--no-request-journal", "--disable-banner"));
            return new Launch(cmd, Map.of());
        }
    }

    /** The distribution's launcher and the base the build made for it, with the test WAR deployed. */
    private static boolean distributionBuilt(Path repo, String launcher, String base) {
        return Files.isRegularFile(repo.resolve(launcher))
                && Files.isRegularFile(repo.resolve(DISTRIBUTIONS + "/" + base + "/webapps/ROOT.war"));
    }

    /**
     * {@code catalina.sh run} of the Apache Tomcat distribution with the test WAR as ROOT, on a copy
     * of a CATALINA_BASE template the build made, JAVA_HOME the JDK under test (JAVA_OPTS the JVM's
     * options, if any). catalina.sh execs the JVM, which is therefore start_server's child; the
     * launcher hands it the agent through JAVA_TOOL_OPTIONS.
     * <ul>
     *   <li>catalina-base: our server.xml, whose connector takes the address and port from system
     *       properties; shutdown port off.</li>
     *   <li>catalina-base-stock: the stock server.xml, with the shutdown port and an AJP connector,
     *       which the application binds itself next to start_server's HTTP port: its two
     *       {@link #ownPorts()}, as the system properties the build put in place of 8005 and 8009.</li>
     * </ul>
     */
    record TomcatDistribution(String name, String base) implements TestApp {
        private boolean stock() {
            return base.equals("catalina-base-stock");
        }

        @Override
        public String artifact() {
            return DISTRIBUTIONS + "/tomcat/bin/catalina.sh";
        }

        @Override
        public boolean built(Path repo) {
            return distributionBuilt(repo, artifact(), base);
        }

        @Override
        public int ownPorts() {
            return stock() ? 2 : 0;
        }

        @Override
        public Launch launch(Target t) throws IOException {
            Path home = t.repo().resolve(DISTRIBUTIONS + "/tomcat");
            Path copy = copyTree(t.repo().resolve(DISTRIBUTIONS + "/" + base), t.dir().resolve("catalina-base"));
            String javaHome = t.jvm().home().toString();
            Map<String, String> env = new LinkedHashMap<>();
            env.put("JAVA_HOME", javaHome);
            env.put("JRE_HOME", javaHome);
            env.put("CATALINA_HOME", home.toString());
            env.put("CATALINA_BASE", copy.toString());
            if (!t.jvm().options().isEmpty()) {
                env.put("JAVA_OPTS", String.join(" ", t.jvm().options()));
            }
            env.put("CATALINA_OPTS", stock()
                    ? "-Dhttp.port=" + t.port() + " -Dshutdown.port=" + t.ownPort(0) + " -Dajp.port=" + t.ownPort(1)
                    : "-Dhttp.host=127.0.0.1 -Dhttp.port=" + t.port());
            return new Launch(List.of(home.resolve("bin/catalina.sh").toString(), "run"), env);
        }
    }

    /**
     * {@code java -jar $JETTY_HOME/start.jar} of the Jetty distribution (jetty-home) on a copy of
     * the jetty.base the build made with {@code --add-modules=http,ee10-deploy} (webapps/ROOT.war);
     * host and port as start.jar properties. Jetty unpacks the WAR under java.io.tmpdir, which is
     * in the run's directory so that nothing is left in /tmp. With {@code --exec} start.jar forks
     * the server's JVM (as it does for a base whose modules need JVM options), passing it the
     * temporary directory given after it.
     */
    record JettyDistribution(String name, List<String> startOptions, boolean harness) implements TestApp {
        @Override
        public String artifact() {
            return DISTRIBUTIONS + "/jetty-home/start.jar";
        }

        @Override
        public boolean built(Path repo) {
            return distributionBuilt(repo, artifact(), "jetty-base");
        }

        @Override
        public Launch launch(Target t) throws IOException {
            Path home = t.repo().resolve(DISTRIBUTIONS + "/jetty-home");
            Path base = copyTree(t.repo().resolve(DISTRIBUTIONS + "/jetty-base"), t.dir().resolve("jetty-base"));
            List<String> cmd = java(t);
            cmd.addAll(List.of("-Djetty.home=" + home, "-Djetty.base=" + base, "-jar", home.resolve("start.jar").toString()));
            cmd.addAll(startOptions);
            if (!startOptions.isEmpty()) {
                cmd.add("-Djava.io.tmpdir=" + t.dir().resolve("tmp"));
            }
            cmd.addAll(List.of("jetty.http.host=127.0.0.1", "jetty.http.port=" + t.port()));
            return new Launch(cmd, Map.of());
        }
    }

    /** The Spring Boot app with Actuator on a management port of its own. */
    record ManagementPortApp(String name, String artifact) implements TestApp {
        @Override
        public int ownPorts() {
            return 1;
        }

        @Override
        public Launch launch(Target t) throws IOException {
            List<String> cmd = javaJar(t, artifact);
            cmd.addAll(List.of("--port=" + t.port(), "--management-port=" + t.ownPort(0)));
            return new Launch(cmd, Map.of());
        }
    }

    /** H2 from Maven Central: its web console on start_server's port, its TCP server on a port of its own. */
    record H2(String name) implements TestApp {
        @Override
        public String artifact() {
            return DISTRIBUTIONS + "/h2/h2.jar";
        }

        @Override
        public int ownPorts() {
            return 1;
        }

        @Override
        public boolean harness() {
            return false;
        }

        @Override
        public Launch launch(Target t) throws IOException {
            List<String> cmd = java(t);
            cmd.addAll(List.of("-Dh2.bindAddress=127.0.0.1", "-jar", t.repo().resolve(artifact()).toString(),
                    "-web", "-webPort", String.valueOf(t.port()), "-tcp", "-tcpPort", String.valueOf(t.ownPort(0)),
                    "-baseDir", t.dir().resolve("h2").toString()));
            return new Launch(cmd, Map.of());
        }
    }

    /** {@code java OPTIONS -jar test-app-unixsocket.jar --path DIR/app.sock} */
    record UnixSocketApp(String name, String artifact) implements TestApp {
        @Override
        public boolean unixSocket() {
            return true;
        }

        @Override
        public boolean harness() {
            return false;
        }

        @Override
        public Launch launch(Target t) throws IOException {
            List<String> cmd = javaJar(t, artifact);
            cmd.addAll(List.of("--path", socket(t.dir()).toString()));
            return new Launch(cmd, Map.of());
        }
    }

    /** {@code java OPTIONS -Djava.io.tmpdir=DIR/tmp -jar JAR}. */
    private static List<String> javaJar(Target t, String jar) throws IOException {
        List<String> cmd = java(t);
        cmd.addAll(List.of("-jar", t.repo().resolve(jar).toString()));
        return cmd;
    }

    /**
     * {@code java OPTIONS -Djava.io.tmpdir=DIR/tmp}: what a server leaves in its temporary
     * directory (Spring Boot's embedded Tomcat makes a tomcat.PORT.* there and removes it only on a
     * clean exit, never after a signal's; a KILLed Jetty keeps its unpacked WAR) stays in the run's
     * directory, not in /tmp.
     */
    private static List<String> java(Target t) throws IOException {
        Path tmp = Files.createDirectories(t.dir().resolve("tmp"));
        List<String> cmd = new ArrayList<>();
        cmd.add(t.jvm().java());
        cmd.addAll(t.jvm().options());
        cmd.add("-Djava.io.tmpdir=" + tmp);
        return cmd;
    }

    /** Copies a directory tree (a fresh base per run: its logs, work and temp are its own). */
    static Path copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to;
    }
}
