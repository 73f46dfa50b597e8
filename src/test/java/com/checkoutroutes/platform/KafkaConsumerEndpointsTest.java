package com.checkoutroutes.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.checkoutroutes.testsupport.FlowTestSupport;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.component.kafka.PollOnError;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Every Kafka consumer of the running routes, as the shipped config/application.yml sets them up: a record is
 * never passed over. An error of the poll itself reconnects and reads on from the commits (Camel's default moved each
 * partition one record on, unread); offsets are committed only by the routes.
 */
class KafkaConsumerEndpointsTest extends FlowTestSupport {

    @Autowired
    CamelContext camel;

    @Test
    void everyKafkaConsumerReconnectsOnAPollErrorAndCommitsOnlyWhatItHandled() {
        List<Route> consumers = camel.getRoutes().stream()
                .filter(route -> route.getEndpoint() instanceof KafkaEndpoint).toList();
        assertThat(consumers).extracting(Route::getRouteId)
                .contains("order-intake", "order-events", "shipment-check", "cancel-duplicate-payment");
        for (Route route : consumers) {
            var settings = ((KafkaEndpoint) route.getEndpoint()).getConfiguration();
            assertThat(settings.getPollOnError()).as(route.getRouteId()).isEqualTo(PollOnError.RECONNECT);
            assertThat(settings.isAutoCommitEnable()).as(route.getRouteId()).isFalse();
            assertThat(settings.isBreakOnFirstError()).as(route.getRouteId()).isTrue();
        }
    }
}
