package com.checkoutroutes.testsupport;

import com.checkoutroutes.CheckoutRoutesApplication;
import com.checkoutroutes.platform.ClockConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.DisableJmx;
import org.apache.camel.test.spring.junit5.ShutdownTimeout;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The fast tier's route tests, in Camel's own idiom: Spring Boot with Camel and the operator's settings
 * (config/application.yml) but none of the application's beans, no Kafka broker, no sandbox and no PostgreSQL. A test
 * class names the route files it loads ({@code camel.main.routes-include-pattern}), gives the beans those routes call
 * (Mockito's {@code @MockitoBean} for what would reach Antom or the ledger, the real thing where it is cheap), and
 * replaces the consumers and the Kafka ends with {@code AdviceWith} in {@link #adviseRoutes()} before Camel starts
 * ({@code @UseAdviceWith}); {@code @MockEndpoints} / {@code @MockEndpointsAndSkip} and {@code NotifyBuilder} observe
 * what flowed. The whole flow, through a real broker, PostgreSQL and the sandbox, stays with {@link FlowTestSupport}.
 * <p>
 * Spring caches one context per test class (its routes and mocks differ): the routes are advised and Camel started
 * by the class's first test, and each test starts with the mock endpoints reset.
 */
@CamelSpringBootTest
@UseAdviceWith
// Camel's test listener would otherwise turn JMX off for every later context in this JVM (a static switch), and
// ConsoleBrowserTest's route statistics need it; these contexts have it off by their own setting below
@DisableJmx(false)
@ShutdownTimeout(2)
@SpringBootTest(classes = RouteTestSupport.RouteSlice.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {
            RouteTestSupport.SLICE + "=true",
            // what a deployment must give (RequiredSettings); nothing here is reached
            "spring.datasource.url=jdbc:h2:mem:route-tests;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                    + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
            "spring.datasource.username=sa",
            "checkout.kafka.brokers=127.0.0.1:9",
            "checkout.antom.client-id=ROUTE_TESTS",
            "checkout.antom.gateway-url=http://127.0.0.1:9",
            "checkout.antom.merchant-private-key=unused.pem",
            "checkout.antom.antom-public-key=unused.pem",
            "checkout.antom.notify-url=http://127.0.0.1:9/antom/notifications",
            "camel.main.routes-reload-enabled=false",
            // no JMX for route tests: their contexts stay cached in the suite's JVM, under the same name
            "camel.main.jmx-enabled=false",
            // no actuator endpoints here: readiness need not wait for a database
            "management.endpoint.health.group.readiness.include=readinessState",
            // the scheduled jobs' clustered JDBC scheduler is not part of a route test
            "spring.autoconfigure.exclude=org.springframework.boot.autoconfigure.quartz.QuartzAutoConfiguration"})
public abstract class RouteTestSupport {

    /** The setting that tells the test environment (TestEnvironment) to add no broker, sandbox or database. */
    public static final String SLICE = "checkout.test.route-slice";

    /** For a class whose routes need no database: Spring Boot's DataSource, JDBC and Flyway stay out. */
    public static final String NO_DATABASE = "spring.autoconfigure.exclude="
            + "org.springframework.boot.autoconfigure.quartz.QuartzAutoConfiguration,"
            + "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration,"
            + "org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration,"
            + "org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration,"
            + "org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration";

    /** Camel and the settings records; the beans the routes call come from each test class. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @ConfigurationPropertiesScan(basePackageClasses = CheckoutRoutesApplication.class)
    @Import(ClockConfiguration.class)
    public static class RouteSlice {
    }

    @Autowired
    protected CamelContext camel;
    @Autowired
    protected ProducerTemplate producer;

    /** Replaces consumers and Kafka ends with AdviceWith; runs once per context, before Camel starts. */
    protected abstract void adviseRoutes() throws Exception;

    @BeforeEach
    void adviseOnceAndStart() throws Exception {
        if (!camel.getStatus().isStarted()) {
            adviseRoutes();
            camel.start();
        }
        MockEndpoint.resetMocks(camel);
    }
}
