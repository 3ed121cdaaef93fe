package io.github.hotdeploy.testapps.tomcat;

import io.github.hotdeploy.testapps.common.AppArgs;
import io.github.hotdeploy.testapps.common.Bodies;
import io.github.hotdeploy.testapps.common.Replies;
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
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;

/**
 * Embedded Tomcat with one servlet. {@code --protocol nio} (default) or {@code nio2} picks the
 * connector: NIO accepts with a blocking ServerSocketChannel, NIO2 with an
 * AsynchronousServerSocketChannel, two different bind and accept paths in the JDK.
 * {@code --keystore FILE --keystore-password P} serves https with that PKCS12 key (Tomcat's
 * default TLS implementation: JSSE unless an OpenSSL listener is configured, which this app does not).
 */
public final class TomcatApp {

    private TomcatApp() {
    }

    public static void main(String[] args) throws Exception {
        AppArgs options = AppArgs.parse("tomcat", args);
        String protocol = options.choice("protocol", "nio", "nio2");
        // A private base directory: two generations of this app run side by side during a restart.
        Path base = Files.createTempDirectory("test-app-tomcat");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(base)));

        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector("nio2".equals(protocol)
                ? "org.apache.coyote.http11.Http11Nio2Protocol"
                : "org.apache.coyote.http11.Http11NioProtocol");
        connector.setPort(options.port());
        connector.setProperty("address", options.host());
        if (options.keystore() != null) {
            SSLHostConfig tls = new SSLHostConfig();
            SSLHostConfigCertificate key = new SSLHostConfigCertificate(tls, SSLHostConfigCertificate.Type.UNDEFINED);
            key.setCertificateKeystoreFile(options.keystore().toAbsolutePath().toString());
            key.setCertificateKeystorePassword(options.keystorePassword());
            key.setCertificateKeystoreType("PKCS12");
            tls.addCertificate(key);
            connector.addSslHostConfig(tls);
            connector.setProperty("SSLEnabled", "true");
            connector.setScheme("https");
            connector.setSecure(true);
        }
        tomcat.setConnector(connector);

        Context context = tomcat.addContext("", null);
        Tomcat.addServlet(context, "hello", new Hello("tomcat-" + protocol));
        context.addServletMappingDecoded("/", "hello");

        tomcat.start();
        tomcat.getServer().await();
    }

    private static final class Hello extends HttpServlet {
        private final String name;

        Hello(String name) {
            this.name = name;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String path = request.getRequestURI();
            String body;
            if (Bodies.isBytes(path)) {
                response.setContentType("text/plain; charset=utf-8");
                Bodies.answer(Bodies.Query.parse(request.getQueryString()), response::setContentLength, response.getOutputStream());
                return;
            } else if ("/".equals(path)) {
                body = Replies.hello(name);
            } else if (Replies.isSleep(path)) {
                long ms = Replies.sleepMillis(request.getQueryString());
                try {
                    Thread.sleep(ms);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                body = Replies.slept(name, ms);
            } else {
                response.sendError(HttpServletResponse.SC_NOT_FOUND);
                return;
            }
            response.setContentType("text/plain; charset=utf-8");
            response.getWriter().write(body);
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if (!Bodies.isEcho(request.getRequestURI())) {
                response.sendError(HttpServletResponse.SC_NOT_FOUND);
                return;
            }
            byte[] received = request.getInputStream().readAllBytes();
            response.setContentType("text/plain; charset=utf-8");
            response.getWriter().write(Bodies.echo(received, received.length));
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // best effort: a leftover directory under java.io.tmpdir is harmless
        }
    }
}
