package com.checkoutroutes.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.checkoutroutes.testsupport.FlowTestSupport;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Every Kafka consumer of the running routes, as the shipped config/application.yml and the component's set-up make
 * them: a record is never passed over. A poll that fails is tried again from the same offsets, after a wait
 * (platform.PollErrorsWaitedOut); offsets are committed only by the routes.
 */
class KafkaConsumerEndpointsTest extends FlowTestSupport {

    @Autowired
    CamelContext camel;
    @Autowired
    MeterRegistry meters;

    @Test
    void everyKafkaConsumerWaitsOutAPollErrorAndCommitsOnlyWhatItHandled() {
        List<Route> consumers = camel.getRoutes().stream()
                .filter(route -> route.getEndpoint() instanceof KafkaEndpoint).toList();
        assertThat(consumers).extracting(Route::getRouteId)
                .contains("order-intake", "order-events", "shipment-check", "cancel-duplicate-payment");
        for (Route route : consumers) {
            KafkaEndpoint endpoint = (KafkaEndpoint) route.getEndpoint();
            assertThat(endpoint.getComponent().getPollExceptionStrategy()).as(route.getRouteId())
                    .isInstanceOf(PollErrorsWaitedOut.class);
            assertThat(endpoint.getConfiguration().isAutoCommitEnable()).as(route.getRouteId()).isFalse();
            assertThat(endpoint.getConfiguration().isBreakOnFirstError()).as(route.getRouteId()).isTrue();
        }
    }

    /**
     * A record the consumer's deserializer cannot read fails the poll itself, over and over: the consumer waits and
     * polls again from it, never past it; once it can be read (a fixed deserializer, a broker back), it and the
     * records behind it are handled, in order.
     */
    @Test
    void aRecordThePollCannotReadIsNeitherPassedOverNorTheEndOfItsPartition() throws Exception {
        String topic = "poll-errors-" + UUID.randomUUID();
        List<String> handled = new CopyOnWriteArrayList<>();
        double errorsBefore = pollErrors();
        Unreadable.poisoned = true;
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("kafka:" + topic + "?groupId=" + topic + "&valueDeserializer=" + Unreadable.class.getName())
                        .routeId(topic).process(exchange -> handled.add(exchange.getMessage().getBody(String.class)));
            }
        });
        try {
            kafka().publish(topic, "k", "first");
            kafka().publish(topic, "k", "POISON");
            kafka().publish(topic, "k", "after");

            await().atMost(Duration.ofSeconds(30)).until(() -> pollErrors() >= errorsBefore + 2);
            assertThat(handled).containsExactly("first");

            Unreadable.poisoned = false;
            await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() == 3);
            assertThat(handled).containsExactly("first", "POISON", "after");
        } finally {
            Unreadable.poisoned = false;
            camel.getRouteController().stopRoute(topic);
            camel.removeRoute(topic);
        }
    }

    @Test
    void theComponentKeepsOneStrategyForEveryConsumer() {
        assertThat(camel.getComponent("kafka", KafkaComponent.class).getPollExceptionStrategy())
                .isInstanceOf(PollErrorsWaitedOut.class);
    }

    private double pollErrors() {
        return meters.find("checkout.kafka.poll.errors").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    /** Reads a record as text, except "POISON" while {@link #poisoned}: the poll fails on it. */
    public static final class Unreadable implements Deserializer<String> {
        static volatile boolean poisoned;

        @Override
        public String deserialize(String topic, byte[] data) {
            String text = new String(data, StandardCharsets.UTF_8);
            if (poisoned && text.equals("POISON")) {
                throw new IllegalStateException("cannot read this record");
            }
            return text;
        }
    }
}
