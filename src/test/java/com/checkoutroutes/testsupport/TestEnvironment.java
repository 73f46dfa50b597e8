package com.checkoutroutes.testsupport;

import com.checkoutroutes.localrun.EmbeddedKafkaEnvironment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Profiles;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.test.context.support.TestPropertySourceUtils;

/**
 * Test overrides on top of the operator config in ./config: the real PostgreSQL (a fresh database per context),
 * fresh ports per Spring context (the doors and the management port), the demo users ({@link DemoCredentials}), the sandbox's resend schedule compressed (0.0005: 2 min becomes 60 ms), and
 * schedules and timeouts short enough for tests; {@code -Dcheckout.test.operator-timings=true} keeps the operator's.
 * The production config has no embedded parts: this supplies them as a deployment's environment would (the
 * in-JVM broker, the sandbox as Antom, the sandbox's keys). Runs before {@code EmbeddedKafkaEnvironment}.
 */
public class TestEnvironment implements EnvironmentPostProcessor, Ordered {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        if (env.acceptsProfiles(Profiles.of("local"))) {
            return; // the local run is on the test classpath too: it has its own settings (application-local.yml)
        }
        if (env.getProperty(RouteTestSupport.SLICE, Boolean.class, false)) {
            return; // a route test (RouteTestSupport): Camel and the routes under test only, no broker, sandbox or PostgreSQL
        }
        Map<String, Object> props = new HashMap<>();
        // a database of its own (TestPostgres), through a link a test can cut, to see the service with its database down
        props.put("spring.datasource.url", DatabaseLink.openFor(TestPostgres.contextDatabase()));
        props.put("spring.datasource.username", TestPostgres.user());
        props.put("spring.datasource.password", "");
        props.put("server.port", String.valueOf(FreePort.find()));
        // the actuator's own port (loopback, as shipped), fresh like the doors' port
        props.put("management.server.port", String.valueOf(FreePort.find()));
        // the demo users: order-system may POST orders, operator reads the operator API, the console and the actuator,
        // monitor the actuator only
        props.putAll(DemoCredentials.settings());
        props.putAll(DemoCredentials.ALLOWED);
        props.putAll(SandboxAsAntom.settings(FreePort.find()));
        props.put("checkout.sandbox.enabled", "true");
        props.put("checkout.kafka.embedded.enabled", "true");
        // off: a test's context never watches ./routes (RoutesReloadTest runs the local run in a folder of its own)
        props.put("camel.main.routes-reload-enabled", env.getProperty("checkout.test.routes-reload", "false"));
        // Camel's JMX management off, but where a test asks for it (ConsoleBrowserTest: the console's route statistics).
        // With it on, a second CamelContext named checkout-routes in the same JVM (another test configuration) gets
        // the management name checkout-routes-2, and camel-quartz stores that name with its clustered jobs. While the
        // next context starts, the one before it still runs, and its scheduler reaches the new one's job store (Quartz
        // keeps one JVM-wide registry of job store connections per scheduler name): it would fire those jobs into "No
        // CamelContext could be found". One context per JVM, as in production and the local run, never meets it.
        props.put("camel.main.jmx-enabled", env.getProperty("checkout.test.camel-management", "false"));
        String reports = reportDirectory();
        props.put("checkout.reconciliation.report-dir", reports);
        props.put("checkout.sandbox.report-dir", reports);
        if (Boolean.getBoolean("checkout.test.operator-timings")) {
            // the load driver: the operator's schedules and timeouts, or it measures a janitor that asks Antom
            // about every pending payment each second and gauges recounted three times a second
            addUnderTheTestsOwn(env, props);
            return;
        }
        // a statement on a connection that went silent (DatabaseDownTest) fails after 10 s, not the shipped minute
        props.put("spring.datasource.hikari.data-source-properties.socketTimeout", "10");
        props.put("checkout.sandbox.time-scale", "0.0005");
        // a sandbox TIMEOUT fault then costs about a second, not Antom's 10 s
        props.put("checkout.antom.timeout", "1s");
        props.put("checkout.antom.retry.initial-backoff", "50ms");
        props.put("checkout.orders.infrastructure-retry-delay", "200");
        props.put("checkout.outbox.poll-interval", "200");
        // the janitor looks every second; tests move attempts into its reach by their own clock or schedule
        props.put("checkout.janitor.cron", "0/1 * * * * ?");
        props.put("checkout.held-order-events.cron", "0/1 * * * * ?");
        props.put("checkout.janitor.first-check.pending", "2s");
        props.put("checkout.janitor.first-check.unknown", "1s");
        // longer than a pay's timed-out tries (1 s each, three): the janitor sends a pay found REQUESTED and processing
        // at Antom again, which would race the order's own retry as the shipped minute never does
        props.put("checkout.janitor.first-check.requested", "10s");
        props.put("checkout.janitor.first-check.capture-requested", "1s");
        props.put("checkout.janitor.check-delays", "1s");
        props.put("checkout.janitor.max-looks-per-second", "0"); // a test's few looks at once, not 50 ms apart
        // the daily reconciliation and the hourly authorisation guard run when a test runs them: at their shipped
        // times, on the real clock, they could reconcile a test's report file before the test has edited it
        props.put("checkout.reconciliation.cron", "0 0 3 1 1 ? 2099");
        props.put("checkout.authorisation-guard.cron", "0 0 3 1 1 ? 2099");
        props.put("checkout.housekeeping.cron", "0 0 3 1 1 ? 2099");
        props.put("spring.quartz.startup-delay", "1s");
        // the ledger gauges recount often enough for a test to see them move (LedgerGaugesFollowTest: never)
        props.put("checkout.metrics.ledger-refresh", env.getProperty("checkout.test.ledger-refresh", "300ms"));
        addUnderTheTestsOwn(env, props);
    }

    /**
     * Above the config files, below what a test sets itself: its {@code @TestPropertySource} properties
     * (KeyOrderedOrdersTest's Antom timeout) and its command-line arguments (FailFastTest's broken settings). Put
     * first, these defaults silently beat a test's own settings.
     */
    private static void addUnderTheTestsOwn(ConfigurableEnvironment env, Map<String, Object> props) {
        MutablePropertySources sources = env.getPropertySources();
        MapPropertySource source = new MapPropertySource("checkoutTestEnvironment", props);
        // a test's inlined properties are in place before SpringApplication puts its arguments above them: the first
        // of these two that exists is the lowest of the test's own
        List.of(TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME, "commandLineArgs").stream()
                .filter(sources::contains).findFirst()
                .ifPresentOrElse(lowest -> sources.addAfter(lowest, source), () -> sources.addFirst(source));
    }

    private static String reportDirectory() {
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("checkout-reports");
            dir.toFile().deleteOnExit();
            return dir.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public int getOrder() {
        return EmbeddedKafkaEnvironment.ORDER - 10;
    }
}
