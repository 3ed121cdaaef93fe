package io.github.hotdeploy.testapps.springboot;

import io.github.hotdeploy.testapps.common.AppArgs;
import java.util.Map;
import org.springframework.boot.SpringApplication;

/**
 * {@link SpringBootApp} with Actuator on a management port of its own ({@code management.server.port}):
 * Boot starts a second embedded Tomcat for it, which the app binds itself; start_server is given
 * only the main port. /actuator/health answers there. The main class of
 * test-app-spring-boot-management, which builds these sources with Actuator on its class path
 * (test-app-spring-boot stays without it: Actuator triples Boot's start-up).
 */
public final class ManagementPortApp {

    private ManagementPortApp() {
    }

    public static void main(String[] args) {
        AppArgs options = AppArgs.parse(SpringBootApp.MANAGEMENT_NAME, args);
        SpringApplication app = new SpringApplication(SpringBootApp.class);
        app.setDefaultProperties(Map.of(
                SpringBootApp.NAME_PROPERTY, SpringBootApp.MANAGEMENT_NAME,
                "server.port", options.port(),
                "server.address", options.host(),
                "management.server.port", options.port("management-port"),
                "management.server.address", options.host(),
                "management.endpoints.web.exposure.include", "health"));
        app.run();
    }
}
