package io.github.hotdeploy.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;

/** GET /health: 200 "ok" for as long as the process serves; for readiness polls. */
final class HealthHandler implements HttpHandler {

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (Responses.rejectUnlessGet(exchange, "/health")) {
            return;
        }
        Responses.text(exchange, 200, "ok\n");
    }
}
