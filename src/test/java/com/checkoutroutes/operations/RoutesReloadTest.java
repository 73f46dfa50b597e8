package com.checkoutroutes.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.checkoutroutes.testsupport.FlowTestSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Live reload as operators use it: an edited route file takes effect without a restart; a broken edit is refused
 * with a logged error and the running routes keep working. Watches a copy of ./routes in its own context.
 */
@TestPropertySource(properties = "checkout.test.routes-reload=true") // inlined: seen by TestEnvironment
class RoutesReloadTest extends FlowTestSupport {

    private static final Path ROUTES = copyOfRoutes();
    private static final String CHANNEL_ROUTE = "continuation-to-channel";

    @Autowired
    CamelContext camel;
    private CapturedLogs logs;

    @DynamicPropertySource
    static void watchTheCopy(DynamicPropertyRegistry registry) {
        registry.add("camel.main.routes-include-pattern", () -> "file:" + ROUTES + "/*.yaml");
        registry.add("camel.main.routes-reload-directory", ROUTES::toString);
    }

    @BeforeEach
    void capture() {
        logs = CapturedLogs.attach();
    }

    @AfterEach
    void release() {
        logs.close();
    }

    @Test
    void anEditedChannelTakesEffectAndABrokenEditIsRefusedWhileOrdersKeepFlowing() {
        String original = routeFile("continuations.yaml");
        Route before = camel.getRoute(CHANNEL_ROUTE);

        // re-point the WEB channel to another topic
        write("continuations.yaml", original.replace("\"{{checkout.channels.web}}\"", "kafka:checkout.continuations.web-v2"));
        await().atMost(Duration.ofSeconds(30)).until(() -> camel.getRoute(CHANNEL_ROUTE) != before);
        awaitReloadsSettled(); // one write may raise several file events, each one a reload
        Route repointed = camel.getRoute(CHANNEL_ROUTE);
        assertThat(camel.getRouteController().getRouteStatus(CHANNEL_ROUTE)).isEqualTo(ServiceStatus.Started);
        String first = newOrderId();
        publish(order(first));
        kafka().await("checkout.continuations.web-v2", r -> first.equals(r.key()));
        assertThat(channelMessages("WEB", first)).isEmpty();

        // YAML that does not parse
        write("continuations.yaml", original.replace("        - choice:", "        - choice: [unclosed"));
        awaitRefused("continuations.yaml", "YAML");
        assertUntouched(repointed);

        // YAML that parses but names a setting that does not exist
        write("continuations.yaml", original.replace("{{checkout.channels.web}}", "{{checkout.channels.nowhere}}"));
        awaitRefused("continuations.yaml", "{{checkout.channels.nowhere}}");
        assertUntouched(repointed);

        // a component that does not exist (a typo in the scheme)
        write("continuations.yaml", original.replace("\"{{checkout.channels.web}}\"", "kafak:checkout.continuations.web"));
        awaitRefused("continuations.yaml", "no Camel component 'kafak'");
        assertUntouched(repointed);

        // passes the checks, fails when Camel builds the endpoint: the version that last loaded comes back
        write("continuations.yaml", original.replace("\"{{checkout.channels.web}}\"",
                "kafka:checkout.continuations.web?noSuchOption=1"));
        await().atMost(Duration.ofSeconds(30)).until(() -> logs.first("restored to the version that last loaded") != null);
        assertThat(logs.first("route edit of", "failed to load", "noSuchOption")).isNotNull();
        awaitReloadsSettled(); // the same write can raise another file event, and so another failed load and restore
        assertThat(camel.getRouteController().getRouteStatus(CHANNEL_ROUTE)).isEqualTo(ServiceStatus.Started);

        String second = newOrderId();
        publish(order(second));
        kafka().await("checkout.continuations.web-v2", r -> second.equals(r.key()));
    }

    /** The guard's error names the file and the problem; Camel counts a failed reload and keeps going. */
    private void awaitRefused(String file, String problem) {
        await().atMost(Duration.ofSeconds(30)).until(() -> logs.first("route edit refused", file, problem) != null);
        logs.events.clear();
    }

    private void awaitReloadsSettled() {
        RouteWatcherReloadStrategy watcher = camel.hasService(RouteWatcherReloadStrategy.class);
        AtomicInteger seen = new AtomicInteger(-1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(20))
                .until(() -> seen.getAndSet(watcher.getReloadCounter()) == watcher.getReloadCounter());
    }

    private void assertUntouched(Route running) {
        assertThat(camel.getRoute(CHANNEL_ROUTE)).as("the running route, not reloaded").isSameAs(running);
        assertThat(camel.getRouteController().getRouteStatus(CHANNEL_ROUTE)).isEqualTo(ServiceStatus.Started);
    }

    private static Path copyOfRoutes() {
        try {
            Path dir = Files.createTempDirectory("checkout-routes-reload");
            try (Stream<Path> files = Files.list(Path.of("routes"))) {
                for (Path file : files.toList()) {
                    Files.copy(file, dir.resolve(file.getFileName()));
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String routeFile(String name) {
        try {
            return Files.readString(ROUTES.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(String name, String content) {
        try {
            Files.writeString(ROUTES.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
