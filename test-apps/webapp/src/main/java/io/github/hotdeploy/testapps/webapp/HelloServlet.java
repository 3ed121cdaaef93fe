package io.github.hotdeploy.testapps.webapp;

import io.github.hotdeploy.testapps.common.Bodies;
import io.github.hotdeploy.testapps.common.Replies;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;

/** Mapped to "/" (the default servlet), so it sees every path of the context. */
public class HelloServlet extends HttpServlet {

    private String name;

    @Override
    public void init() {
        // "tomcat-war" or "jetty-war": the same WAR runs in both distributions.
        String container = getServletContext().getServerInfo().toLowerCase(Locale.ROOT);
        name = container.contains("tomcat") ? "tomcat-war" : container.contains("jetty") ? "jetty-war" : "war";
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
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
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        if (!Bodies.isEcho(path)) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        byte[] received = request.getInputStream().readAllBytes();
        response.setContentType("text/plain; charset=utf-8");
        response.getWriter().write(Bodies.echo(received, received.length));
    }
}
