package com.checkoutroutes.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which route configurations the shipped files declare, which an edit changed, and which files use them. */
class RouteConfigurationIdsTest {

    @Test
    void theShippedErrorHandlingDeclaresWhatTheRouteFilesUse() throws Exception {
        Set<String> declared = RouteConfigurationIds.declaredIn(Files.readString(Path.of("routes/error-handling.yaml")))
                .keySet();
        assertThat(declared).contains("order-errors", "duplicate-payment-errors");
        assertThat(declared).contains("job-errors");
        // schedules.yaml: its templates' routes, which its jobs are made of
        for (String file : List.of("orders.yaml", "order-events.yaml", "shipment-checks.yaml", "notifications.yaml",
                "continuations.yaml", "schedules.yaml")) {
            assertThat(RouteConfigurationIds.usesAny(Files.readString(Path.of("routes", file)), declared))
                    .as(file).isTrue();
        }
        assertThat(RouteConfigurationIds.usesAny(Files.readString(Path.of("routes/outbox.yaml")), declared)).isFalse();
    }

    @Test
    void onlyTheConfigurationsAnEditChangedCount() throws Exception {
        String shipped = Files.readString(Path.of("routes/error-handling.yaml"));
        assertThat(RouteConfigurationIds.changed(shipped, "# a comment\n" + shipped)).isEmpty();
        String edited = shipped.replaceFirst("id: order-errors", "id: order-errors-2");
        assertThat(RouteConfigurationIds.changed(shipped, edited)).containsExactlyInAnyOrder("order-errors",
                "order-errors-2");
    }

    @Test
    void aRouteMayNameSeveral() {
        String route = "- route:\n    id: r\n    routeConfigurationId: \"a,b\"\n    from:\n      uri: direct:x\n";
        assertThat(RouteConfigurationIds.usesAny(route, Set.of("b"))).isTrue();
        assertThat(RouteConfigurationIds.usesAny(route.replace("a,b", "a, b"), Set.of("b")))
                .as("Camel does not trim the names: ' b' names no b").isFalse();
        assertThat(RouteConfigurationIds.usesAny(route, Set.of("c"))).isFalse();
        assertThat(RouteConfigurationIds.usesAny("# routeConfigurationId: b\n", Set.of("b"))).isFalse();
    }

    /** Camel matches a routeConfigurationId as a pattern too: an edit of order-errors reloads routes naming order-*. */
    @Test
    void aRouteNamingAPatternUsesWhatItMatches() {
        String route = "- route:\n    id: r\n    routeConfigurationId: \"order-*\"\n    from:\n      uri: direct:x\n";
        assertThat(RouteConfigurationIds.usesAny(route, Set.of("order-errors"))).isTrue();
        assertThat(RouteConfigurationIds.usesAny(route, Set.of("job-errors"))).isFalse();
    }
}
