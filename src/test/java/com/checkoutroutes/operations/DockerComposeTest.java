package com.checkoutroutes.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml, checked without a Docker engine: the four services, pinned images, ports, health checks,
 * the operator's ./config and ./routes mounted, and only environment names the application actually reads.
 */
class DockerComposeTest {

    private static final List<String> SERVICES = List.of("kafka", "postgres", "antom-sandbox", "checkout-routes");
    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void parse() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(Path.of("docker-compose.yml")));
        services = (Map<String, Map<String, Object>>) compose.get("services");
    }

    @Test
    void theFourServicesWithKafkaFromApache() {
        assertThat(services).containsOnlyKeys(SERVICES);
        assertThat((String) services.get("kafka").get("image")).startsWith("apache/kafka:");
        assertThat((String) services.get("postgres").get("image")).startsWith("postgres:");
    }

    @Test
    void everyImageIsPinned() throws IOException {
        for (String name : SERVICES) {
            Map<String, Object> service = services.get(name);
            String image = (String) service.get("image");
            assertThat(image).as(name + " image").contains(":").doesNotEndWith(":latest");
            if (!service.containsKey("build")) {
                // pulled images carry a version
                assertThat(image.substring(image.lastIndexOf(':') + 1)).as(name + " tag").matches(".*\\d.*");
            }
        }
        // the images the build pulls, too
        Matcher from = Pattern.compile("(?m)^FROM\\s+(\\S+)").matcher(Files.readString(Path.of("Dockerfile")));
        int images = 0;
        while (from.find()) {
            images++;
            assertThat(from.group(1)).as("Dockerfile FROM").matches("[^:]+:.*\\d.*").doesNotEndWith(":latest");
        }
        assertThat(images).isPositive();
    }

    @Test
    void portsAndHealthChecksOnEveryService() {
        Map<String, String> published = Map.of("kafka", "9092:9092", "postgres", "5432:5432",
                "antom-sandbox", "8089:8089", "checkout-routes", "8080:8080");
        for (String name : SERVICES) {
            assertThat(list(services.get(name), "ports")).as(name + " ports").contains(published.get(name));
            @SuppressWarnings("unchecked")
            Map<String, Object> health = (Map<String, Object>) services.get(name).get("healthcheck");
            assertThat(health).as(name + " healthcheck").isNotNull().containsKey("test");
            assertThat(String.valueOf(health.get("test"))).isNotBlank();
        }
        // the service is healthy only when ready: routes started (readiness), not merely when the port is open
        assertThat(String.valueOf(((Map<?, ?>) services.get("checkout-routes").get("healthcheck")).get("test")))
                .contains("/actuator/health/readiness");
        @SuppressWarnings("unchecked")
        Map<String, Object> dependsOn = (Map<String, Object>) services.get("checkout-routes").get("depends_on");
        assertThat(dependsOn.keySet()).containsExactlyInAnyOrder("kafka", "postgres", "antom-sandbox");
        dependsOn.values().forEach(c -> assertThat(((Map<?, ?>) c).get("condition")).isEqualTo("service_healthy"));
    }

    @Test
    void theOperatorsConfigAndRoutesAreMountedWhereTheApplicationReadsThem() throws IOException {
        assertThat(list(services.get("checkout-routes"), "volumes"))
                .contains("./config:/app/config", "./routes:/app/routes");
        // ./config and ./routes are read relative to the working directory of the image
        assertThat(Files.readString(Path.of("Dockerfile"))).contains("WORKDIR /app");
    }

    @Test
    void theServiceGetsTimeToShutDownGracefully() throws IOException {
        // Docker's default is 10 s; Camel alone may take camel.main.shutdown-timeout for in-flight exchanges
        String grace = String.valueOf(services.get("checkout-routes").get("stop_grace_period"));
        assertThat(grace).matches("\\d+s");
        Matcher camelTimeout = Pattern.compile("shutdown-timeout: (\\d+)")
                .matcher(Files.readString(Path.of("config/application.yml")));
        assertThat(camelTimeout.find()).as("camel.main.shutdown-timeout is configured").isTrue();
        assertThat(Integer.parseInt(grace.replace("s", ""))).isGreaterThan(Integer.parseInt(camelTimeout.group(1)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyEnvironmentNameIsOneTheApplicationReads() throws IOException {
        String settings = Files.readString(Path.of("config/application.yml"));
        String sandboxMain = Files.readString(Path.of("src/main/java/com/checkoutroutes/sandbox/SandboxMain.java"));
        int checked = 0;
        for (String name : SERVICES) {
            Map<String, Object> env = (Map<String, Object>) services.get(name).get("environment");
            if (env == null) {
                continue;
            }
            for (String variable : env.keySet()) {
                if (variable.startsWith("CHECKOUT_")) {
                    assertThat(settings).as(variable + " is read by config/application.yml").contains("${" + variable + ":");
                    checked++;
                } else if (variable.startsWith("SANDBOX_")) {
                    assertThat(sandboxMain).as(variable + " is read by SandboxMain").contains("\"" + variable + "\"");
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(10);
    }

    private static List<String> list(Map<String, Object> service, String key) {
        return ((List<?>) service.get(key)).stream().map(String::valueOf).toList();
    }
}
