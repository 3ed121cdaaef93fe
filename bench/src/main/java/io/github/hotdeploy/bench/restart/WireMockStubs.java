package io.github.hotdeploy.bench.restart;

import io.github.hotdeploy.bench.load.Format;
import io.github.hotdeploy.testapps.common.Bodies;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.StringJoiner;

/** The stubs WireMock serves in the harness: see TestApps.WireMockApp. */
final class WireMockStubs {

    private WireMockStubs() {
    }

    static void write(Path root, Apps.Checked checked) throws IOException {
        StringJoiner mappings = new StringJoiner(",\n", "{\"mappings\": [\n", "\n]}\n");
        mappings.add(stub("{\"method\": \"GET\", \"url\": \"/\"}", "\"body\": \"server=wiremock\\n\""));
        for (int size : checked.sizes()) {
            for (int seed = 0; seed < checked.seeds(); seed++) {
                String file = "bytes-" + size + "-" + seed + ".txt";
                Files.write(root.resolve("__files").resolve(file), Bodies.pattern(seed, size));
                mappings.add(stub("{\"method\": \"GET\", \"urlPath\": \"/bytes\", \"queryParameters\": {"
                        + "\"size\": {\"equalTo\": \"" + size + "\"}, \"seed\": {\"equalTo\": \"" + seed + "\"}}}",
                        "\"bodyFileName\": \"" + file + "\""));
            }
        }
        for (int size : checked.postSizes()) {
            for (int seed = 0; seed < checked.seeds(); seed++) {
                byte[] body = Bodies.pattern(seed, size);
                // An empty body cannot be matched with equalTo: that stub takes any body of its seed, after
                // the exact ones (a larger number is a lower priority); a body that arrived cut still gets
                // an answer the client finds wrong.
                mappings.add(stub("{\"method\": \"POST\", \"urlPath\": \"/echo\", \"queryParameters\": {"
                        + "\"seed\": {\"equalTo\": \"" + seed + "\"}}"
                        + (size == 0 ? "" : ", \"bodyPatterns\": [{\"equalTo\": "
                        + Format.jsonString(new String(body, StandardCharsets.US_ASCII)) + "}]") + "}",
                        "\"body\": " + Format.jsonString(Bodies.echo(body, size)), size == 0 ? 10 : 5));
            }
        }
        // wrk's POSTs (no seed, a body of its own): any body, last of all. An unmatched request would
        // get WireMock's 404 with its near-miss report, which is slow to compute for large bodies.
        mappings.add(stub("{\"method\": \"POST\", \"urlPath\": \"/echo\"}", "\"body\": \"received\\n\"", 20));
        Files.writeString(root.resolve("mappings").resolve("harness.json"), mappings.toString(), StandardCharsets.UTF_8);
    }

    private static String stub(String request, String body) {
        return stub(request, body, 5);
    }

    private static String stub(String request, String body, int priority) {
        return "  {\"priority\": " + priority + ", \"request\": " + request + ", \"response\": {\"status\": 200, "
                + "\"headers\": {\"Content-Type\": \"text/plain; charset=utf-8\"}, " + body + "}}";
    }
}
