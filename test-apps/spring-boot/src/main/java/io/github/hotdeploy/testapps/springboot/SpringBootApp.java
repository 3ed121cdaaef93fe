package io.github.hotdeploy.testapps.springboot;

import io.github.hotdeploy.testapps.common.AppArgs;
import io.github.hotdeploy.testapps.common.Bodies;
import io.github.hotdeploy.testapps.common.Replies;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot MVC app on its default embedded server (Tomcat, NIO connector); with Actuator on
 * a port of its own, {@link ManagementPortApp}.
 */
@SpringBootApplication
@RestController
public class SpringBootApp {

    /** The property that names the app in its replies, and the management variant's name. */
    static final String NAME_PROPERTY = "testapp.name";
    static final String MANAGEMENT_NAME = "spring-boot-management";

    private final String name;

    public SpringBootApp(@Value("${" + NAME_PROPERTY + ":spring-boot}") String name) {
        this.name = name;
    }

    public static void main(String[] args) {
        AppArgs options = AppArgs.parse("spring-boot", args);
        SpringApplication app = new SpringApplication(SpringBootApp.class);
        // The common command line (--port N) mapped onto Boot's own properties; application
        // properties or SERVER_PORT would still override these defaults, as in any Boot app.
        app.setDefaultProperties(Map.of("server.port", options.port(), "server.address", options.host()));
        app.run();
    }

    @GetMapping(value = "/", produces = "text/plain")
    public String hello() {
        return Replies.hello(name);
    }

    /** {@code /bytes}: see Bodies; written through the servlet response, as a controller that streams does. */
    @GetMapping("/bytes")
    public void bytes(@RequestParam(name = "size", defaultValue = "0") String size,
                      @RequestParam(name = "seed", defaultValue = "0") String seed,
                      @RequestParam(name = "chunked", defaultValue = "0") String chunked,
                      HttpServletResponse response) throws IOException {
        response.setContentType("text/plain; charset=utf-8");
        Bodies.answer(Bodies.Query.parse("size=" + size + "&seed=" + seed + "&chunked=" + chunked), response::setContentLength,
                response.getOutputStream());
    }

    @PostMapping(value = "/echo", produces = "text/plain")
    public String echo(@RequestBody(required = false) byte[] body) {
        byte[] received = body == null ? new byte[0] : body;
        return Bodies.echo(received, received.length);
    }

    @GetMapping(value = "/sleep", produces = "text/plain")
    public String sleep(@RequestParam(name = "ms", defaultValue = "0") String ms) throws InterruptedException {
        long millis = Replies.sleepMillis("ms=" + ms);
        Thread.sleep(millis);
        return Replies.slept(name, millis);
    }
}
