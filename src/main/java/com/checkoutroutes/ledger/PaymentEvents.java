package com.checkoutroutes.ledger;

import com.checkoutroutes.platform.AntomTime;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Result events for the order system: one per state change, written to the outbox with the change itself, so an
 * event exists exactly when its change committed. {@code eventId} lets consumers drop a redelivered copy;
 * {@code version} is the attempt's ledger version after the change (it grows with every change of the attempt),
 * so a consumer can also drop an event older than one it already applied.
 */
@Component
public class PaymentEvents {

    private final ObjectMapper json;
    private final Clock clock;
    private final String destination;

    public PaymentEvents(ObjectMapper json, Clock clock, OutboxSettings outbox) {
        this.json = json;
        this.clock = clock;
        this.destination = outbox.resultsDestination();
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PaymentEvent(String type, String eventId, String orderId, int attempt, String paymentRequestId,
            int version, String paymentId, String state, String previousState, String cause, Money amount, Result result,
            String at) {
    }

    public record Money(String currency, String value) {
    }

    public record Result(String code, String message) {
    }

    /** The event announcing that {@code attempt} (as read before the change) moved from {@code from} to {@code to}. */
    public OutboxMessage stateChanged(PaymentAttempt attempt, PaymentState from, PaymentState to, String cause,
            String paymentId, String resultCode, String resultMessage) {
        PaymentEvent event = new PaymentEvent("PAYMENT_STATE_CHANGED", UUID.randomUUID().toString(), attempt.orderId(),
                attempt.attemptNo(), attempt.paymentRequestId(), attempt.version() + 1, paymentId != null ? paymentId : attempt.paymentId(),
                to.name(), from == null ? null : from.name(), cause,
                new Money(attempt.currency(), String.valueOf(attempt.amountValue())),
                resultCode == null ? null : new Result(resultCode, resultMessage),
                AntomTime.format(OffsetDateTime.now(clock)));
        try {
            return new OutboxMessage(destination, attempt.orderId(), json.writeValueAsString(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
