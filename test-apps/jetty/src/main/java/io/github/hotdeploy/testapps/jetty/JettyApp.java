package io.github.hotdeploy.testapps.jetty;

import io.github.hotdeploy.testapps.common.AppArgs;
import io.github.hotdeploy.testapps.common.Replies;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/** Jetty 12 as an application embeds it: one ServerConnector, one core handler. */
public final class JettyApp {

    private JettyApp() {
    }

    public static void main(String[] args) throws Exception {
        AppArgs options = AppArgs.parse("jetty", args);
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

    // Handler.Abstract is a blocking handler: Jetty calls it where /sleep may block the thread.
    private static final class Hello extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String path = Request.getPathInContext(request);
            String body;
            if ("/".equals(path)) {
                body = Replies.hello("jetty");
            } else if (Replies.isSleep(path)) {
                long ms = Replies.sleepMillis(request.getHttpURI().getQuery());
                Thread.sleep(ms);
                body = Replies.slept("jetty", ms);
            } else {
                Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
                return true;
            }
            response.setStatus(HttpStatus.OK_200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
            Content.Sink.write(response, true, body, callback);
            return true;
        }
    }
}
