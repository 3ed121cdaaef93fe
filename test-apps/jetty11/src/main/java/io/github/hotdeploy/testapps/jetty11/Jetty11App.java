package io.github.hotdeploy.testapps.jetty11;

import io.github.hotdeploy.testapps.common.AppArgs;
import io.github.hotdeploy.testapps.common.Bodies;
import io.github.hotdeploy.testapps.common.Replies;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.AbstractHandler;

/**
 * Jetty 11, as embedded by WireMock 3 and many 2021-2024 apps: one ServerConnector, one
 * AbstractHandler on the servlet-style request and response. Its HTTP/1.1 connection differs from
 * Jetty 12's (HttpChannelOverHttp, one SendCallback per response): the cut bodies of issue 14 came
 * from this generation.
 */
public final class Jetty11App {

    private Jetty11App() {
    }

    public static void main(String[] args) throws Exception {
        AppArgs options = AppArgs.parse("jetty11", args);
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(options.host());
        connector.setPort(options.port());
        server.addConnector(connector);
        server.setHandler(new Hello());
        // What a production Jetty app sets so that SIGTERM stops it gracefully instead of just exiting.
        server.setStopAtShutdown(true);
        server.setStopTimeout(5_000);
        server.start();
        server.join();
    }

    private static final class Hello extends AbstractHandler {
        @Override
        public void handle(String target, Request base, HttpServletRequest request, HttpServletResponse response)
                throws IOException {
            base.setHandled(true);
            String body;
            if ("POST".equals(request.getMethod()) && Bodies.isEcho(target)) {
                byte[] received = request.getInputStream().readAllBytes();
                body = Bodies.echo(received, received.length);
            } else if (Bodies.isBytes(target)) {
                response.setContentType("text/plain; charset=utf-8");
                Bodies.answer(Bodies.Query.parse(request.getQueryString()), response::setContentLength, response.getOutputStream());
                return;
            } else if ("/".equals(target)) {
                body = Replies.hello("jetty11");
            } else if (Replies.isSleep(target)) {
                long ms = Replies.sleepMillis(request.getQueryString());
                try {
                    Thread.sleep(ms);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                body = Replies.slept("jetty11", ms);
            } else {
                response.sendError(HttpServletResponse.SC_NOT_FOUND);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            response.setContentType("text/plain; charset=utf-8");
            response.setContentLength(bytes.length);
            response.getOutputStream().write(bytes);
        }
    }
}
