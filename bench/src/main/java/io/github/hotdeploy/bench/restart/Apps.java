package io.github.hotdeploy.bench.restart;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The servers the harness knows, by the command lines their modules document (demo-app/README.md,
 * test-apps/README.md). Each is an unmodified app: under start_server the launcher injects the
 * agent, in the contrasts nothing does.
 *
 * <p>Most are {@code java -jar X.jar --port=N}. The two legacy deployments are the real Tomcat and
 * Jetty distributions (laid out by {@code test-apps/distributions}) serving the test WAR, run the
 * way an operator runs them: {@code catalina.sh run} with CATALINA_HOME/CATALINA_BASE, and
 * {@code java -jar start.jar} on a jetty.base. Each scenario gets a private copy of the base
 * directory under its own output directory (the generations of one scenario share it, as they
 * would on a server); the distribution itself is never written to.
 */
final class Apps {

    /** How to start one generation: the command line, what it adds to the environment, and whether it serves https. */
    record Launch(List<String> command, Map<String, String> env, boolean tls) {
        Launch {
            command = List.copyOf(command);
            env = Map.copyOf(env);
        }

        Launch(List<String> command, Map<String, String> env) {
            this(command, env, false);
        }
    }

    /** A server the harness can run. */
    interface App {
        String name();

        /** What must be built for it, relative to the repository (shown when it is missing). */
        String artifact();

        default boolean built(Path repo) {
            return Files.exists(repo.resolve(artifact()));
        }

        /**
         * Prepares what the server needs in {@code dir} (the scenario's directory) and says how to
         * start a generation on {@code port} with the {@code java} given (an executable path, or
         * {@code java} for the one on the PATH). Every generation of the scenario runs the same launch.
         */
        Launch prepare(Path repo, String java, int port, Path dir) throws IOException;

        /**
         * The same, for an app that must be told the checked requests it will get (WireMock's stubs);
         * the others ignore them.
         */
        default Launch prepare(Path repo, String java, int port, Path dir, Checked checked) throws IOException {
            return prepare(repo, java, port, dir);
        }

        /** Answers GET /bytes and POST /echo (test-apps' Bodies): the load generator checks its bodies. */
        default boolean bodies() {
            return true;
        }

        /** Answers GET /sleep?ms=N for any N (the in-flight check). */
        default boolean sleeps() {
            return true;
        }

        /** "http" or "https". */
        default String scheme() {
            return "http";
        }

        /** Speaks HTTP/2 too (h2c on its http port): h2load can load it. */
        default boolean http2() {
            return false;
        }

        /**
         * wrk can count its {@code Connection: close} requests to this server. Not so where the
         * JDK's httpserver closes without saying so (wrk writes its next request into the closed
         * socket) or WireMock ends the body by closing (no Content-Length): wrk counts a read
         * error for every request, with or without start_server.
         */
        default boolean announcesClose() {
            return true;
        }
    }

    /** The checked requests of a run: GET /bytes of these sizes, POST /echo of these, each in seeds variants. */
    record Checked(List<Integer> sizes, List<Integer> postSizes, int seeds) {
    }

    /** {@code java -jar JAR --port=N EXTRA...}, as the READMEs give it. */
    record JarApp(String name, String artifact, List<String> extraArgs, boolean bodies, boolean http2,
                  boolean announcesClose) implements App {
        @Override
        public Launch prepare(Path repo, String java, int port, Path dir) throws IOException {
            List<String> cmd = javaJar(java, dir, repo.resolve(artifact));
            cmd.add("--port=" + port);
            cmd.addAll(extraArgs);
            return new Launch(cmd, Map.of());
        }
    }

    /**
     * A test app serving https with a self-signed key made for the scenario by keytool (in its
     * directory: nothing secret is in the repository, the password is no secret either).
     */
    record TlsJarApp(String name, String artifact) implements App {
        static final String PASSWORD = "restart-harness";

        @Override
        public String scheme() {
            return "https";
        }

        @Override
        public Launch prepare(Path repo, String java, int port, Path dir) throws IOException {
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
            List<String> cmd = javaJar(java, dir, repo.resolve(artifact));
            cmd.addAll(List.of("--port=" + port, "--keystore=" + keystore, "--keystore-password=" + PASSWORD));
            return new Launch(cmd, Map.of(), true);
        }
    }

    /**
     * WireMock's standalone jar as published (Jetty 11 inside), serving stubs the harness writes
     * into the scenario's directory: GET / , GET /bytes of each size and seed (files of Bodies'
     * pattern; WireMock picks the framing itself, so {@code chunked=1} gets the same stub), and
     * POST /echo of each size and seed, matched on the exact body and answered with its length and
     * CRC-32. No request journal: a stub server under load would keep every request otherwise.
     */
    record WireMockApp(String name) implements App {
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
        public Launch prepare(Path repo, String java, int port, Path dir) throws IOException {
            return prepare(repo, java, port, dir, new Checked(List.of(), List.of(), 1));
        }

        @Override
        public Launch prepare(Path repo, String java, int port, Path dir, Checked checked) throws IOException {
            Path root = dir.resolve("wiremock");
            Files.createDirectories(root.resolve("mappings"));
            Files.createDirectories(root.resolve("__files"));
            WireMockStubs.write(root, checked);
            List<String> cmd = javaJar(java, dir, repo.resolve(artifact()));
            cmd.addAll(List.of("--port", Integer.toString(port), "--bind-address", "127.0.0.1", "--root-dir", root.toString(),
                    "--no-request-journal", "--disable-banner"));
            return new Launch(cmd, Map.of());
        }
    }

    private static final String DISTRIBUTIONS = "test-apps/distributions/target";

    /** The distribution's launcher and the base the build made for it, with the test WAR deployed. */
    private static boolean distributionBuilt(Path repo, String launcher, String base) {
        return Files.isRegularFile(repo.resolve(launcher))
                && Files.isRegularFile(repo.resolve(DISTRIBUTIONS + "/" + base + "/webapps/ROOT.war"));
    }

    /**
     * {@code catalina.sh run} of the Apache Tomcat distribution with the test WAR as ROOT: a copy
     * of the CATALINA_BASE template the build made (our server.xml, whose connector takes the
     * address and port from system properties; shutdown port off), JAVA_HOME the JDK under test.
     * catalina.sh execs the JVM, which is therefore start_server's child; the launcher hands it the
     * agent through JAVA_TOOL_OPTIONS.
     */
    record TomcatDistribution(String name) implements App {
        @Override
        public String artifact() {
            return DISTRIBUTIONS + "/tomcat/bin/catalina.sh";
        }

        @Override
        public boolean built(Path repo) {
            return distributionBuilt(repo, artifact(), "catalina-base");
        }

        @Override
        public Launch prepare(Path repo, String java, int port, Path dir) throws IOException {
            Path home = repo.resolve(DISTRIBUTIONS + "/tomcat");
            Path base = copyTree(repo.resolve(DISTRIBUTIONS + "/catalina-base"), dir.resolve("catalina-base"));
            String javaHome = javaHome(java).toString();
            Map<String, String> env = new LinkedHashMap<>();
            env.put("JAVA_HOME", javaHome);
            env.put("JRE_HOME", javaHome);
            env.put("CATALINA_HOME", home.toString());
            env.put("CATALINA_BASE", base.toString());
            env.put("CATALINA_OPTS", "-Dhttp.host=127.0.0.1 -Dhttp.port=" + port);
            return new Launch(List.of(home.resolve("bin/catalina.sh").toString(), "run"), env);
        }
    }

    /**
     * {@code java -jar $JETTY_HOME/start.jar} of the Jetty distribution (jetty-home) on a copy of
     * the jetty.base the build made with {@code --add-modules=http,ee10-deploy} (webapps/ROOT.war);
     * host and port as start.jar properties. Jetty unpacks the WAR under java.io.tmpdir, which is
     * pointed into the scenario's directory so that nothing is left in /tmp.
     */
    record JettyDistribution(String name) implements App {
        @Override
        public String artifact() {
            return DISTRIBUTIONS + "/jetty-home/start.jar";
        }

        @Override
        public boolean built(Path repo) {
            return distributionBuilt(repo, artifact(), "jetty-base");
        }

        @Override
        public Launch prepare(Path repo, String java, int port, Path dir) throws IOException {
            Path home = repo.resolve(DISTRIBUTIONS + "/jetty-home");
            Path base = copyTree(repo.resolve(DISTRIBUTIONS + "/jetty-base"), dir.resolve("jetty-base"));
            Path tmp = Files.createDirectories(dir.resolve("tmp"));
            return new Launch(List.of(java, "-Djava.io.tmpdir=" + tmp, "-Djetty.home=" + home, "-Djetty.base=" + base,
                    "-jar", home.resolve("start.jar").toString(), "jetty.http.host=127.0.0.1", "jetty.http.port=" + port),
                    Map.of());
        }
    }

    /**
     * The Tomcat distribution with its stock server.xml (catalina-base-stock): the shutdown port
     * and an AJP connector, which the application binds itself next to start_server's HTTP port.
     * Both get free loopback ports picked for the scenario (the stock ones, 8005 and 8009, may be
     * taken on a shared machine), as the system properties the build put in place of the numbers.
     */
    record TomcatStockDistribution(String name) implements App {
        @Override
        public String artifact() {
            return DISTRIBUTIONS + "/tomcat/bin/catalina.sh";
        }

        @Override
        public boolean built(Path repo) {
            return distributionBuilt(repo, artifact(), "catalina-base-stock");
        }

        @Override
        public Launch prepare(Path repo, String java, int port, Path dir) throws IOException {
            Path home = repo.resolve(DISTRIBUTIONS + "/tomcat");
            Path base = copyTree(repo.resolve(DISTRIBUTIONS + "/catalina-base-stock"), dir.resolve("catalina-base"));
            String javaHome = javaHome(java).toString();
            Map<String, String> env = new LinkedHashMap<>();
            env.put("JAVA_HOME", javaHome);
            env.put("JRE_HOME", javaHome);
            env.put("CATALINA_HOME", home.toString());
            env.put("CATALINA_BASE", base.toString());
            env.put("CATALINA_OPTS", "-Dhttp.port=" + port + " -Dshutdown.port=" + freePort() + " -Dajp.port=" + freePort());
            return new Launch(List.of(home.resolve("bin/catalina.sh").toString(), "run"), env);
        }
    }

    /** The Spring Boot app with Actuator on a management port of its own, picked free for the scenario. */
    record ManagementPortApp(String name, String artifact) implements App {
        @Override
        public Launch prepare(Path repo, String java, int port, Path dir) throws IOException {
            List<String> cmd = javaJar(java, dir, repo.resolve(artifact));
            cmd.addAll(List.of("--port=" + port, "--management-port=" + freePort()));
            return new Launch(cmd, Map.of());
        }
    }

    /**
     * {@code java -Djava.io.tmpdir=DIR/tmp -jar JAR}: what a server leaves in its temporary
     * directory (Spring Boot's embedded Tomcat makes a tomcat.PORT.* there and removes it only on
     * a clean exit, never after a signal's) stays in the scenario's directory, not in /tmp.
     */
    static List<String> javaJar(String java, Path dir, Path jar) throws IOException {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        return new ArrayList<>(List.of(java, "-Djava.io.tmpdir=" + tmp, "-jar", jar.toString()));
    }

    /** A loopback port free a moment ago (the server binds it within seconds; nothing else here picks ports). */
    static int freePort() throws IOException {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    static final Map<String, App> ALL = new LinkedHashMap<>();

    static {
        ALL.put("demo", new JarApp("demo", "demo-app/target/demo-app.jar", List.of(), false, false, false));
        jar("jetty", "test-apps/jetty/target/test-app-jetty.jar");
        jar("jetty11", "test-apps/jetty11/target/test-app-jetty11.jar");
        jar("tomcat", "test-apps/tomcat/target/test-app-tomcat.jar");
        jar("tomcat-nio2", "test-apps/tomcat/target/test-app-tomcat.jar", "--protocol=nio2");
        jar("netty", "test-apps/netty/target/test-app-netty.jar");
        jar("netty-epoll", "test-apps/netty/target/test-app-netty.jar", "--transport=epoll");
        jar("undertow", "test-apps/undertow/target/test-app-undertow.jar");
        ALL.put("httpserver", new JarApp("httpserver", "test-apps/httpserver/target/test-app-httpserver.jar", List.of(),
                true, false, false));
        jar("serversocket", "test-apps/serversocket/target/test-app-serversocket.jar");
        jar("spring-boot", "test-apps/spring-boot/target/test-app-spring-boot.jar");
        jar("vertx", "test-apps/vertx/target/test-app-vertx.jar");
        ALL.put("wiremock", new WireMockApp("wiremock"));
        ALL.put("tomcat-dist", new TomcatDistribution("tomcat-dist"));
        ALL.put("jetty-dist", new JettyDistribution("jetty-dist"));
        // Servers that bind ports of their own besides start_server's (issue 15).
        ALL.put("tomcat-dist-stock", new TomcatStockDistribution("tomcat-dist-stock"));
        ALL.put("spring-boot-management", new ManagementPortApp("spring-boot-management",
                "test-apps/spring-boot-management/target/test-app-spring-boot-management.jar"));
        // Variants for the clients that need them: h2load (HTTP/2 in clear text) and https.
        ALL.put("jetty-h2c", new JarApp("jetty-h2c", "test-apps/jetty/target/test-app-jetty.jar", List.of("--h2c=yes"), true, true, true));
        ALL.put("jetty-tls", new TlsJarApp("jetty-tls", "test-apps/jetty/target/test-app-jetty.jar"));
        ALL.put("tomcat-tls", new TlsJarApp("tomcat-tls", "test-apps/tomcat/target/test-app-tomcat.jar"));
    }

    private static void jar(String name, String jar, String... extra) {
        ALL.put(name, new JarApp(name, jar, List.of(extra), true, false, true));
    }

    private Apps() {
    }

    static App get(String name) {
        App app = ALL.get(name);
        if (app == null) {
            throw new IllegalArgumentException("unknown server '" + name + "'; known: " + String.join(",", ALL.keySet()));
        }
        return app;
    }

    /** The JDK home of a java executable: a path, or a bare name looked up on the PATH; links resolved. */
    static Path javaHome(String java) throws IOException {
        Path exe = null;
        if (java.contains("/")) {
            exe = Path.of(java);
        } else {
            for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                Path p = Path.of(d.isEmpty() ? "." : d, java);
                if (Files.isExecutable(p)) {
                    exe = p;
                    break;
                }
            }
        }
        if (exe == null || !Files.isExecutable(exe)) {
            throw new IOException("no java executable '" + java + "' (on the PATH or as a path)");
        }
        Path real = exe.toRealPath();
        // JDK_HOME/bin/java
        return real.getParent().getParent();
    }

    /** Copies a directory tree (a fresh base per scenario: its logs, work and temp are its own). */
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
