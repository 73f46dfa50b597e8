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
 * so a consumer can also drop an event older than one it already applied. A refund's change is a change of its
 * payment: its event ({@code REFUND_STATE_CHANGED}) takes the payment's next version, so one sequence orders every
 * event of a payment.
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

    /**
     * A refund's change: {@code amount} is the refund's, {@code refunded} what the payment has given back in all after
     * the change (REFUNDED refunds only); {@code requestKey} what asked for it, so that the order system can tell its
     * returns apart ({@code ORDER_RETURNED:<eventId>}, {@code CANCELLATION}, {@code DUPLICATE_PAYMENT}, an operator's).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RefundEvent(String type, String eventId, String orderId, int attempt, String paymentRequestId,
            int version, String paymentId, String refundRequestId, String refundId, String requestKey, String state,
            String previousState, String cause, Money amount, Money refunded, Result result, String at) {
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
        return message(attempt.orderId(), event);
    }

    /**
     * The event announcing that {@code refund} of {@code payment} (both as read before the change) moved from
     * {@code from} to {@code to}; {@code refundedAfter} is the payment's refunded total once it did.
     */
    public OutboxMessage refundStateChanged(PaymentAttempt payment, Refund refund, RefundState from, RefundState to,
            String cause, String refundId, String resultCode, String resultMessage, long refundedAfter) {
        RefundEvent event = new RefundEvent("REFUND_STATE_CHANGED", UUID.randomUUID().toString(), payment.orderId(),
                payment.attemptNo(), payment.paymentRequestId(), payment.version() + 1, payment.paymentId(),
                refund.refundRequestId(), refundId != null ? refundId : refund.refundId(), refund.requestKey(),
                to.name(),
                from == null ? null : from.name(), cause,
                new Money(refund.currency(), String.valueOf(refund.amountValue())),
                new Money(payment.currency(), String.valueOf(refundedAfter)),
                resultCode == null ? null : new Result(resultCode, resultMessage),
                AntomTime.format(OffsetDateTime.now(clock)));
        return message(payment.orderId(), event);
    }

    private OutboxMessage message(String orderId, Object event) {
        try {
            return new OutboxMessage(destination, orderId, json.writeValueAsString(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
