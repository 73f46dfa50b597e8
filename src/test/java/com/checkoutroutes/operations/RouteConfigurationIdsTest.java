package com.checkoutroutes.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which route configurations the shipped files declare, and which files use them. */
class RouteConfigurationIdsTest {

    @Test
    void theShippedErrorHandlingDeclaresWhatTheRouteFilesUse() throws Exception {
        List<String> declared = RouteConfigurationIds.declaredIn(Files.readString(Path.of("routes/error-handling.yaml")));
        assertThat(declared).contains("order-errors", "duplicate-payment-errors");
        for (String file : List.of("orders.yaml", "order-events.yaml", "shipment-checks.yaml", "notifications.yaml",
                "continuations.yaml")) {
            assertThat(RouteConfigurationIds.usesAny(Files.readString(Path.of("routes", file)), declared))
                    .as(file).isTrue();
        }
        assertThat(RouteConfigurationIds.usesAny(Files.readString(Path.of("routes/outbox.yaml")), declared)).isFalse();
    }

    @Test
    void aRouteMayNameSeveral() {
        assertThat(RouteConfigurationIds.usesAny("    routeConfigurationId: \"a, b\"\n", List.of("b"))).isTrue();
        assertThat(RouteConfigurationIds.usesAny("    routeConfigurationId: ab\n", List.of("a"))).isFalse();
    }
}
