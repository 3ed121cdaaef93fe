package io.github.hotdeploy.agent.it.apps;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/** Embedded Tomcat 11, NIO connector. Usage: TomcatServer HOST PORT */
public final class TomcatServer {

    public static void main(String[] args) throws Exception {
        Path base = Files.createTempDirectory("tomcat-it");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(base)));
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector("org.apache.coyote.http11.Http11NioProtocol");
        connector.setProperty("address", args[0]);
        connector.setPort(Integer.parseInt(args[1]));
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", base.toString());
        Tomcat.addServlet(context, "reply", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setContentType("text/plain");
                response.getOutputStream().write(FixtureServer.reply());
            }
        });
        context.addServletMappingDecoded("/", "reply");
        tomcat.start();
        System.out.println("fixture listening on " + args[0] + ":" + connector.getLocalPort());
        tomcat.getServer().await();
    }

    /** The test ends this JVM with a signal: its base directory (work/, the session files) goes with it. */
    private static void deleteTree(Path base) {
        try (Stream<Path> paths = Files.walk(base)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // best effort: a directory under the system's temp dir
        }
    }
}
