package io.github.hotdeploy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DemoServerTest {

    private DemoServer server;
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        server = DemoServer.start(new DemoOptions("127.0.0.1", 0, 4, 0));
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + pathAndQuery);
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void rootReportsPidUptimeAndCountsRequests() throws Exception {
        get("/health");
        HttpResponse<String> response = get("/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body())
                .contains("\"pid\":" + ProcessHandle.current().pid())
                .containsPattern("\"uptimeMs\":\\d+")
                .contains("\"requests\":2");
    }

    @Test
    void healthSaysOk() throws Exception {
        HttpResponse<String> response = get("/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok\n");
    }

    @Test
    void sleepAnswersAfterTheRequestedTime() throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> response = get("/sleep?ms=200");
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("slept 200 ms\n");
        assertThat(tookMs).isGreaterThanOrEqualTo(200);
    }

    @Test
    void badSleepParameterIs400() throws Exception {
        assertThat(get("/sleep?ms=soon").statusCode()).isEqualTo(400);
        assertThat(get("/sleep").statusCode()).isEqualTo(400);
        assertThat(get("/sleep?ms=99999999").statusCode()).isEqualTo(400);
    }

    @Test
    void unknownPathIs404AndOtherMethodsAre405() throws Exception {
        assertThat(get("/nope").statusCode()).isEqualTo(404);
        assertThat(get("/health/extra").statusCode()).isEqualTo(404);

        URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + "/health");
        HttpResponse<String> post = client.send(
                HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");
    }
}
