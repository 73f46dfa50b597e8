package com.checkoutroutes.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;

/** The age of each scheduled job's last finished run, and no age for a job no route runs any more. */
class JobFreshnessTest {

    private final Instant now = Instant.parse("2026-12-05T12:00:00Z");
    private final JobRuns runs = mock(JobRuns.class);
    private final CamelContext camel = mock(CamelContext.class);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<Route> routes = new ArrayList<>();

    private final JobFreshness freshness = new JobFreshness(runs, provider(), meters,
            Clock.fixed(now, ZoneOffset.UTC), Duration.ofSeconds(10));

    @Test
    void eachJobsAgeIsItsLastFinishedRunsAndAJobTakenAwayLosesIt() {
        when(camel.getRoutes()).thenReturn(routes);
        routes.add(route("janitor", "quartz:checkout/janitor"));
        routes.add(route("order-intake", "kafka:checkout.orders"));
        when(runs.lastFinished("janitor")).thenReturn(Optional.of(now.minusSeconds(90)));

        freshness.refresh();

        assertThat(meters.get("checkout.jobs.last.finished.age").tag("job", "janitor").gauge().value()).isEqualTo(90.0);
        assertThat(meters.find("checkout.jobs.last.finished.age").tag("job", "order-intake").gauge()).isNull();

        routes.remove(0);
        freshness.refresh();

        assertThat(meters.find("checkout.jobs.last.finished.age").gauges()).isEmpty();
    }

    private static Route route(String id, String uri) {
        Route route = mock(Route.class);
        Endpoint endpoint = mock(Endpoint.class);
        when(route.getRouteId()).thenReturn(id);
        when(route.getEndpoint()).thenReturn(endpoint);
        when(endpoint.getEndpointUri()).thenReturn(uri);
        return route;
    }

    @SuppressWarnings("unchecked")
    private ObjectProvider<CamelContext> provider() {
        ObjectProvider<CamelContext> provider = mock(ObjectProvider.class);
        when(provider.getIfAvailable()).thenReturn(camel);
        return provider;
    }
}
