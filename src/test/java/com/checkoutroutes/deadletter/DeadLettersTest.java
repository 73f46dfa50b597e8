package com.checkoutroutes.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** A dead letter names its order whenever the order's JSON has a readable orderId, even when it is broken later on. */
class DeadLettersTest {

    private final ObjectMapper json = new ObjectMapper();
    private final DeadLetters deadLetters = new DeadLetters(json, Clock.systemUTC(), new SimpleMeterRegistry());

    @Test
    void anOrderRefusedBeforeItWasReadIsNamedAndKeyedByItsOrderId() throws Exception {
        Exchange exchange = rejected("{\"orderId\":\"ORD-9\",\"amount\":{\"currency\":\"USD\",\"value\":\"12.50\"}}",
                "some-key");

        deadLetters.build(exchange);

        JsonNode letter = json.readTree(exchange.getIn().getBody(String.class));
        assertThat(letter.path("orderId").asText()).isEqualTo("ORD-9");
        assertThat(letter.path("source").path("key").asText()).isEqualTo("some-key");
        assertThat(exchange.getIn().getHeader(KafkaConstants.KEY)).isEqualTo("ORD-9");
    }

    @Test
    void withoutAReadableOrderIdTheRecordKeyIsKept() throws Exception {
        Exchange exchange = rejected("not json at all", "ORD-10");

        deadLetters.build(exchange);

        assertThat(json.readTree(exchange.getIn().getBody(String.class)).has("orderId")).isFalse();
        assertThat(exchange.getIn().getHeader(KafkaConstants.KEY)).isEqualTo("ORD-10");
    }

    /** Control characters take six bytes each in the letter: past the limit, it names the original instead. */
    @Test
    void aLetterTooLargeToPublishNamesItsOriginalBySizeAndHash() throws Exception {
        String order = "{\"orderId\":\"ORD-11\",\"note\":\"" + "\u0001".repeat(100_000) + "\"}";
        Exchange exchange = rejected(order, "ORD-11");

        deadLetters.build(exchange);

        String body = exchange.getIn().getBody(String.class);
        assertThat(body.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(DeadLetters.MAX_LETTER_BYTES);
        JsonNode letter = json.readTree(body);
        assertThat(letter.has("original")).isFalse();
        assertThat(letter.path("originalBytes").asInt()).isEqualTo(order.getBytes(StandardCharsets.UTF_8).length);
        assertThat(letter.path("originalSha256").asText()).hasSize(64);
        assertThat(letter.path("orderId").asText()).isEqualTo("ORD-11");
        assertThat(DeadLetterArchive.original(letter)).as("nothing to re-drive").isEmpty();

        Exchange small = rejected("{\"orderId\":\"ORD-12\",\"note\":\"" + "\u0001".repeat(1_000) + "\"}", "ORD-12");
        deadLetters.build(small);
        JsonNode kept = json.readTree(small.getIn().getBody(String.class));
        assertThat(kept.has("original")).isTrue();
        assertThat(kept.has("originalBytes")).isFalse();
    }

    @Test
    void theOrderIdIsReadUpToItsFieldOnly() {
        assertThat(deadLetters.readableOrderId("{\"meta\":{\"orderId\":\"NESTED\"},\"orderId\":\"ORD-1\",\"amount\":{\"cu"))
                .isEqualTo("ORD-1");
        assertThat(deadLetters.readableOrderId("{\"amount\":{\"cu")).isNull();
        assertThat(deadLetters.readableOrderId("{\"orderId\":42}")).isNull();
        assertThat(deadLetters.readableOrderId("{\"orderId\":\"\"}")).isNull();
        assertThat(deadLetters.readableOrderId("{\"orderId\":\"" + "x".repeat(65) + "\"}")).isNull();
        assertThat(deadLetters.readableOrderId("[\"orderId\"]")).isNull();
        assertThat(deadLetters.readableOrderId(null)).isNull();
    }

    private static Exchange rejected(String order, String key) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(DeadLetters.RAW_ORDER, order.getBytes(StandardCharsets.UTF_8));
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT,
                new RejectedOrderException("INVALID_AMOUNT", "$.amount.value", "not minor units"));
        exchange.getIn().setHeader(KafkaConstants.KEY, key);
        exchange.getIn().setHeader(KafkaConstants.TOPIC, "checkout.orders");
        return exchange;
    }
}
