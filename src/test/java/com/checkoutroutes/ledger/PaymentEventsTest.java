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
                    16, Duration.ofSeconds(15), Duration.ofSeconds(20)));

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
}
