package com.checkoutroutes.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** A consumed record's key and headers are bounded, whatever a producer put in them. */
class BoundedRecordPartsTest {

    @Test
    void aKeyIsTextUpToItsLimitAndItsDigestBeyond() {
        BoundedKeyDeserializer keys = new BoundedKeyDeserializer();
        String orderId = "ORD-2026-12-03-0001";
        byte[] huge = "k".repeat(1_000_000).getBytes(StandardCharsets.UTF_8);

        assertThat(keys.deserialize("orders", orderId.getBytes(StandardCharsets.UTF_8))).isEqualTo(orderId);
        assertThat(keys.deserialize("orders", null)).isNull();
        String bounded = keys.deserialize("orders", huge);
        assertThat(bounded).startsWith("oversized-key:").hasSize("oversized-key:".length() + 64)
                .isEqualTo(keys.deserialize("orders", huge.clone())); // equal keys stay equal: one lane
    }

    @Test
    void atMostSoManySmallHeadersOfARecordAreKept() {
        BoundedKafkaHeaders filter = new BoundedKafkaHeaders();
        Exchange record = new DefaultExchange(new DefaultCamelContext());
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            if (!filter.applyFilterToExternalHeaders("h" + i, new byte[] {1}, record)) {
                kept.add("h" + i);
            }
        }

        assertThat(kept).hasSize(BoundedKafkaHeaders.MAX_HEADERS).startsWith("h0", "h1");
        Exchange another = new DefaultExchange(new DefaultCamelContext());
        assertThat(filter.applyFilterToExternalHeaders("traceparent", "00-ab-cd-01".getBytes(), another)).isFalse();
        assertThat(filter.applyFilterToExternalHeaders("big", new byte[BoundedKafkaHeaders.MAX_VALUE_BYTES + 1],
                another)).isTrue();
        assertThat(filter.applyFilterToExternalHeaders("n".repeat(BoundedKafkaHeaders.MAX_NAME_CHARS + 1),
                new byte[] {1}, another)).isTrue();
        // Camel's own rules still hold: a producer cannot steer our producers (kafka.OVERRIDE_TOPIC)
        assertThat(filter.applyFilterToExternalHeaders("kafka.OVERRIDE_TOPIC", "elsewhere".getBytes(), another))
                .isTrue();
    }
}
