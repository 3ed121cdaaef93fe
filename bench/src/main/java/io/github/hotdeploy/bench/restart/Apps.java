package io.github.hotdeploy.bench.restart;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The servers the harness knows, by the command lines their modules document (demo-app/README.md,
 * test-apps/README.md). Each is an unmodified app: under start_server the launcher injects the
 * agent, in the contrasts nothing does.
 */
final class Apps {

    record App(String name, String jar, List<String> extraArgs) {
        List<String> command(Path repo, String java, int port) {
            List<String> cmd = new ArrayList<>(List.of(java, "-jar", repo.resolve(jar).toString(), "--port=" + port));
            cmd.addAll(extraArgs);
            return cmd;
        }

        boolean built(Path repo) {
            return Files.isRegularFile(repo.resolve(jar));
        }
    }

    static final Map<String, App> ALL = new LinkedHashMap<>();

    static {
        add("demo", "demo-app/target/demo-app.jar");
        add("jetty", "test-apps/jetty/target/test-app-jetty.jar");
        add("tomcat", "test-apps/tomcat/target/test-app-tomcat.jar");
        add("tomcat-nio2", "test-apps/tomcat/target/test-app-tomcat.jar", "--protocol=nio2");
        add("netty", "test-apps/netty/target/test-app-netty.jar");
        add("netty-epoll", "test-apps/netty/target/test-app-netty.jar", "--transport=epoll");
        add("undertow", "test-apps/undertow/target/test-app-undertow.jar");
        add("httpserver", "test-apps/httpserver/target/test-app-httpserver.jar");
        add("serversocket", "test-apps/serversocket/target/test-app-serversocket.jar");
        add("spring-boot", "test-apps/spring-boot/target/test-app-spring-boot.jar");
    }

    private static void add(String name, String jar, String... extra) {
        ALL.put(name, new App(name, jar, List.of(extra)));
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
}
