package com.checkoutroutes.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** A result event names the attempt's ledger version after its change, so consumers can drop older ones. */
class PaymentEventsTest {

    private final ObjectMapper json = new ObjectMapper();
    private final PaymentEvents events = new PaymentEvents(json, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC),
            new OutboxSettings("direct:c", "direct:results", "direct:d", "direct:r", 500, 100, Duration.ofSeconds(1),
                    16, Duration.ofSeconds(15), Duration.ofSeconds(20), Duration.ZERO));

    @Test
    void theEventCarriesTheVersionTheChangeWritesAndIsKeyedByOrder() throws Exception {
        PaymentAttempt pending = PaymentAttempt.builder().paymentRequestId("prid").orderId("ORD-1").attemptNo(1)
                .amountValue(1250).currency("USD").state(PaymentState.PENDING).version(1).build();

        OutboxMessage message = events.stateChanged(pending, PaymentState.PENDING, PaymentState.SUCCEEDED,
                "PAYMENT_RESULT", "pid", "SUCCESS", "success");

        JsonNode event = json.readTree(message.payload());
        assertThat(event.path("version").asInt()).isEqualTo(2);
        assertThat(event.path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(event.path("previousState").asText()).isEqualTo("PENDING");
        assertThat(message.key()).isEqualTo("ORD-1");
        assertThat(message.destination()).isEqualTo("direct:results");
    }

    @Test
    void aRefundsEventTakesItsPaymentsNextVersion() throws Exception {
        PaymentAttempt captured = PaymentAttempt.builder().paymentRequestId("prid").orderId("ORD-1").attemptNo(1)
                .amountValue(1250).currency("USD").state(PaymentState.CAPTURED).paymentId("pid").version(4).build();
        Refund refund = new Refund("REF1", "prid", "ORD-1", "ORDER_RETURNED:e-1", 500, "USD", RefundState.REQUESTED,
                null, null, null, "broken", "order-system", 0, 0, null, null, null, null, null);

        OutboxMessage message = events.refundStateChanged(captured, refund, RefundState.REQUESTED,
                RefundState.REFUNDED, "REFUND_ANSWERED", "rid", "SUCCESS", "success", 500);

        JsonNode event = json.readTree(message.payload());
        assertThat(event.path("type").asText()).isEqualTo("REFUND_STATE_CHANGED");
        assertThat(event.path("version").asInt()).isEqualTo(5);
        assertThat(event.path("paymentRequestId").asText()).isEqualTo("prid");
        assertThat(event.path("refundRequestId").asText()).isEqualTo("REF1");
        assertThat(event.path("refundId").asText()).isEqualTo("rid");
        assertThat(event.path("requestKey").asText()).as("which return asked for it").isEqualTo("ORDER_RETURNED:e-1");
        assertThat(event.path("state").asText()).isEqualTo("REFUNDED");
        assertThat(event.path("previousState").asText()).isEqualTo("REQUESTED");
        assertThat(event.path("amount").path("value").asText()).isEqualTo("500");
        assertThat(event.path("refunded").path("value").asText()).isEqualTo("500");
        assertThat(message.key()).isEqualTo("ORD-1");
        assertThat(message.destination()).isEqualTo("direct:results");
    }
}
