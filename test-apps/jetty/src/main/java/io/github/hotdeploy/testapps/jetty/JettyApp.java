package io.github.hotdeploy.testapps.jetty;

import io.github.hotdeploy.testapps.common.AppArgs;
import io.github.hotdeploy.testapps.common.Bodies;
import io.github.hotdeploy.testapps.common.Replies;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Jetty 12 as an application embeds it: one ServerConnector, one core handler. {@code --h2c yes}
 * also speaks HTTP/2 in clear text (prior knowledge or upgrade) on the same connector;
 * {@code --keystore FILE --keystore-password P} serves https (HTTP/1.1) with that PKCS12 key.
 */
public final class JettyApp {

    private JettyApp() {
    }

    public static void main(String[] args) throws Exception {
        AppArgs options = AppArgs.parse("jetty", args);
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        ServerConnector connector;
        if (options.keystore() != null) {
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStorePath(options.keystore().toString());
            tls.setKeyStorePassword(options.keystorePassword());
            tls.setKeyStoreType("PKCS12");
            // A self-signed test key names 127.0.0.1 or localhost, not necessarily what the client typed.
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false);
            http.addCustomizer(secure);
            connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(http));
        } else if ("yes".equals(options.choice("h2c", "no", "yes"))) {
            connector = new ServerConnector(server, new HttpConnectionFactory(http), new HTTP2CServerConnectionFactory(http));
        } else {
            connector = new ServerConnector(server, new HttpConnectionFactory(http));
        }
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
            if ("POST".equals(request.getMethod()) && Bodies.isEcho(path)) {
                byte[] received = Content.Source.asInputStream(request).readAllBytes();
                body = Bodies.echo(received, received.length);
            } else if (Bodies.isBytes(path)) {
                bytes(Bodies.Query.parse(request.getHttpURI().getQuery()), response, callback);
                return true;
            } else if ("/".equals(path)) {
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

        /** With a Content-Length in one write, or (chunked=1) in pieces, each written and flushed alone. */
        private static void bytes(Bodies.Query query, Response response, Callback callback) throws Exception {
            byte[] body = query.body();
            response.setStatus(HttpStatus.OK_200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
            if (!query.chunked()) {
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
                response.write(true, ByteBuffer.wrap(body), callback);
                return;
            }
            int piece = Bodies.pieceSize(body.length);
            for (int off = 0; off < body.length; off += piece) {
                try (Blocker.Callback written = Blocker.callback()) {
                    response.write(false, ByteBuffer.wrap(body, off, Math.min(piece, body.length - off)), written);
                    written.block();
                }
            }
            response.write(true, null, callback);
        }
    }
}
