package com.checkoutroutes.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Every shipped route file is valid against the YAML DSL schema of the Camel version we run (camelYamlDsl.json from
 * camel-yaml-dsl), the schema Kaoto and the VS Code Camel extension use; the edit guard refuses with its messages.
 */
class RouteFilesSchemaTest {

    private static final RouteSchema SCHEMA = RouteSchema.load();

    @Test
    void everyShippedRouteFileMatchesCamelsYamlDslSchema() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(Path.of("routes"))) {
            files = listing.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            assertThat(SCHEMA.violations(new Yaml().load(Files.readString(file)))).as(file.toString()).isEmpty();
        }
    }

    @Test
    void aNumberWhereTheSchemaWantsTextIsFlaggedAsKaotoWouldFlagIt() {
        Object route = new Yaml().load("""
                - routeConfiguration:
                    id: order-errors
                    onException:
                      - onException:
                          exception: [java.lang.Exception]
                          redeliveryPolicy:
                            redeliveryDelay: 500
                """);
        assertThat(SCHEMA.violations(route)).anySatisfy(message ->
                assertThat(message).contains("redeliveryDelay").contains("string"));
    }

    @Test
    void anUnknownStepIsFlagged() {
        Object route = new Yaml().load("""
                - route:
                    from:
                      uri: direct:a
                      steps:
                        - sendTo: direct:b
                """);
        assertThat(SCHEMA.violations(route)).isNotEmpty();
    }
}
