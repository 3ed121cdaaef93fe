package io.github.hotdeploy.testapps.springbootmanagement;

import io.github.hotdeploy.testapps.common.AppArgs;
import io.github.hotdeploy.testapps.common.Bodies;
import io.github.hotdeploy.testapps.common.Replies;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot MVC app with Actuator on a management port of its own
 * ({@code management.server.port}): Boot starts a second embedded Tomcat for it, which the app
 * binds itself; start_server is given only the main port. /actuator/health answers there.
 */
@SpringBootApplication
@RestController
public class ManagementPortApp {

    public static void main(String[] args) {
        AppArgs options = AppArgs.parse("spring-boot-management", args);
        SpringApplication app = new SpringApplication(ManagementPortApp.class);
        app.setDefaultProperties(Map.of(
                "server.port", options.port(),
                "server.address", options.host(),
                "management.server.port", options.port("management-port"),
                "management.server.address", options.host(),
                "management.endpoints.web.exposure.include", "health"));
        app.run();
    }

    @GetMapping(value = "/", produces = "text/plain")
    public String hello() {
        return Replies.hello("spring-boot-management");
    }

    /** {@code /bytes}: see Bodies (the restart harness checks every byte). */
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
        return Replies.slept("spring-boot-management", millis);
    }
}
