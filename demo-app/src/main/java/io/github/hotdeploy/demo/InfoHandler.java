package io.github.hotdeploy.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;

/** GET /: which process answered, so a client can see a restart happen. */
final class InfoHandler implements HttpHandler {

    private final ServerStats stats;
    private final long pid = ProcessHandle.current().pid();
    /** Only displayed; the app itself knows nothing about Server::Starter. */
    private final String generation = System.getenv("SERVER_STARTER_GENERATION");

    InfoHandler(ServerStats stats) {
        this.stats = stats;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (Responses.rejectUnlessGet(exchange, "/")) {
            return;
        }
        String generationJson = generation == null ? "null" : "\"" + jsonEscape(generation) + "\"";
        Responses.json(exchange, "{\"pid\":" + pid
                + ",\"generation\":" + generationJson
                + ",\"uptimeMs\":" + stats.uptime().toMillis()
                + ",\"requests\":" + stats.requests() + "}\n");
    }

    /** The generation comes from the environment, so it is not trusted to be digits. */
    static String jsonEscape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
