package com.checkoutroutes.shipment;

import com.checkoutroutes.deadletter.DeadLetters;
import com.checkoutroutes.deadletter.RejectedOrderException;
import com.checkoutroutes.ledger.OrderCancellations;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.ledger.Refund;
import com.checkoutroutes.ledger.RefundLedger;
import com.checkoutroutes.ledger.RefundRules;
import com.checkoutroutes.ledger.RefundState;
import com.checkoutroutes.platform.AntomTime;
import com.checkoutroutes.results.PaymentInquiries;
import com.checkoutroutes.results.PaymentInquiries.Confirmation;
import com.checkoutroutes.shipment.ShipmentDecision.Reason;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.component.kafka.KafkaConstants;
import org.springframework.stereotype.Component;

/**
 * Pre-shipment checks: no order ships unless exactly one payment for it succeeded (and, for cards, was captured)
 * at the amount ordered, nothing flagged it, nothing of it is refunded or being refunded, and Antom confirmed the
 * result recently (the docs' "before shipping" inquiry, skipped when a confirmation is fresh).
 */
@Component
public class ShipmentChecks {

    private final PaymentLedger ledger;
    private final RefundLedger refunds;
    private final PaymentInquiries inquiries;
    private final ObjectMapper json;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Duration freshness;
    private final OrderCancellations cancellations;

    public ShipmentChecks(PaymentLedger ledger, RefundLedger refunds, PaymentInquiries inquiries, ObjectMapper json,
            Clock clock, MeterRegistry meters, ShipmentSettings settings, OrderCancellations cancellations) {
        this.cancellations = cancellations;
        this.ledger = ledger;
        this.refunds = refunds;
        this.inquiries = inquiries;
        this.json = json;
        this.clock = clock;
        this.meters = meters;
        this.freshness = settings.confirmationFreshness();
    }

    /** A request from the shipment-checks topic: {"orderId": "...", "requestId": "..."}. */
    public String answer(Exchange exchange) throws Exception {
        byte[] raw = DeadLetters.keepRaw(exchange, (code, message) -> new RejectedOrderException(code, null, message));
        JsonNode request;
        try {
            request = json.readTree(raw);
        } catch (Exception e) {
            throw new RejectedOrderException("BAD_JSON", null, "a shipment check is a JSON object with an orderId");
        }
        String orderId = request == null ? null : request.path("orderId").asText(null);
        if (orderId == null || orderId.isBlank()) {
            throw new RejectedOrderException("MISSING_FIELD", "$.orderId", "orderId is required");
        }
        String decision = json.writeValueAsString(decide(orderId, request.path("requestId").asText(null)));
        // keyed by the order once decided: a check that fails before keeps its own key for the dead letter
        exchange.getIn().setHeader(KafkaConstants.KEY, orderId);
        return decision;
    }

    /** The HTTP variant: the order id comes from the path. */
    public String answerFor(@Header("orderId") String orderId) throws Exception {
        return json.writeValueAsString(decide(orderId, null));
    }

    public ShipmentDecision decide(String orderId, String requestId) {
        ShipmentDecision decision = evaluate(orderId, requestId, null);
        meters.counter("checkout.shipment.decisions", "decision", decision.decision()).increment();
        return decision;
    }

    /** {@code askedAt}: null on the first look; when Antom was just asked to confirm, the moment it was asked. */
    private ShipmentDecision evaluate(String orderId, String requestId, OffsetDateTime askedAt) {
        List<PaymentAttempt> attempts = ledger.attemptsOf(orderId);
        List<Reason> reasons = new ArrayList<>();
        if (cancellations.cancelled(orderId)) {
            // whatever its payments show now (a cancel refused, a payment stored as the cancellation came)
            reasons.add(new Reason("ORDER_CANCELLED", null, "the order system cancelled the order (or flagged it for"
                    + " risk)"));
        }
        List<PaymentAttempt> paid = attempts.stream().filter(a -> a.state().isPaid())
                .filter(a -> !givenBack(a, attempts)).toList();
        if (paid.isEmpty()) {
            boolean unknown = attempts.stream().anyMatch(a -> a.state().isResultUnknown());
            reasons.add(unknown ? new Reason("PAYMENT_UNKNOWN", null, "a payment's result is not known yet")
                    : new Reason("NOT_PAID", null, attempts.isEmpty() ? "no payment for this order"
                            : "no payment succeeded"));
        }
        if (paid.size() > 1) {
            reasons.add(new Reason("MULTIPLE_PAYMENTS", null, paid.size() + " payments succeeded"));
        }
        // an attempt the ledger closed unpaid that Antom reports paid or captured (a pay or capture that landed after
        // it was closed): the buyer may have paid twice, and that is not given back by itself. (A second payment
        // cancelled as such, whose success a late notification tells again, is no payment any more.)
        attempts.stream().filter(a -> !a.state().isPaid() && a.flaggedWith(PaymentAttempt.CONFLICTING_RESULT)
                        && !(a.state() == PaymentState.CANCELLED && a.flaggedWith(PaymentAttempt.DUPLICATE_PAYMENT)))
                .forEach(a -> reasons.add(new Reason("FLAGGED", a.paymentRequestId(), a.flagReason())));
        for (PaymentAttempt attempt : paid) {
            // once captured, the flag of an earlier capture that failed is answered too
            if (attempt.state() == PaymentState.CAPTURED ? attempt.flaggedAgainstCapture()
                    : attempt.flaggedForOperator()) {
                reasons.add(flagReason(attempt));
            }
            if (attempt.isCard() && attempt.state() != PaymentState.CAPTURED) {
                reasons.add(new Reason("CARD_NOT_CAPTURED", attempt.paymentRequestId(), attempt.state().name()));
            }
            if (attempt.state().cancelGivesMoneyBack()
                    && ledger.cancelOnItsWay(attempt.paymentRequestId(), OffsetDateTime.now(clock))) {
                // an expiry's cancel racing the buyer's payment, an order's cancellation still unanswered
                reasons.add(new Reason("CANCEL_IN_PROGRESS", attempt.paymentRequestId(),
                        "a cancel of this payment may still reach Antom, which would give the money back"));
            }
            refundReason(attempt).ifPresent(reasons::add);
        }
        PaymentAttempt payment = paid.size() == 1 ? paid.get(0) : null;
        if (payment != null) {
            termsChanged(payment, attempts).ifPresent(reasons::add);
        }
        if (reasons.isEmpty() && !freshlyConfirmed(payment, askedAt)) {
            OffsetDateTime asking = OffsetDateTime.now(clock).truncatedTo(ChronoUnit.MILLIS);
            Confirmation confirmation = askedAt == null ? inquiries.confirm(payment) : Confirmation.NOT_ANSWERED;
            if (confirmation == Confirmation.CONFIRMED) {
                return evaluate(orderId, requestId, asking);
            }
            reasons.add(confirmation == Confirmation.CANCEL_LISTED
                    ? new Reason("CANCEL_IN_PROGRESS", payment.paymentRequestId(),
                            "Antom lists a cancel of this payment, done or under way, which gives the money back")
                    : new Reason("NOT_CONFIRMED", payment.paymentRequestId(),
                            "Antom could not confirm the payment now"));
        }
        return new ShipmentDecision("SHIPMENT_DECISION", orderId, requestId,
                reasons.isEmpty() ? ShipmentDecision.SHIP : ShipmentDecision.HOLD, reasons,
                payment == null ? null : payment.paymentRequestId(), payment == null ? null : payment.paymentId(),
                AntomTime.format(OffsetDateTime.now(clock)));
    }

    /**
     * The amount ordered is the order's newest attempt's: an earlier attempt, left open when the order system sent a
     * new one with another amount or currency, may still be paid on its link, and pays what the order no longer is.
     */
    private static java.util.Optional<Reason> termsChanged(PaymentAttempt payment, List<PaymentAttempt> ofOrder) {
        return ofOrder.stream().filter(a -> a.attemptNo() > payment.attemptNo())
                .max(java.util.Comparator.comparingInt(PaymentAttempt::attemptNo))
                .filter(newest -> newest.amountValue() != payment.amountValue()
                        || !newest.currency().equals(payment.currency()))
                .map(newest -> new Reason("ORDER_TERMS_CHANGED", payment.paymentRequestId(), "paid "
                        + payment.amountValue() + " " + payment.currency() + " (attempt " + payment.attemptNo()
                        + "); the order's newest attempt " + newest.attemptNo() + " is for " + newest.amountValue()
                        + " " + newest.currency()));
    }

    /**
     * A second payment of the order (not the one it keeps) whose refunds are done and cover all of it: the money went
     * back, so it is no payment of the order any more (a second payment cancelled at Antom is not paid either).
     */
    private boolean givenBack(PaymentAttempt attempt, List<PaymentAttempt> ofOrder) {
        if (!attempt.isSecondPaymentAmong(ofOrder)) {
            return false;
        }
        long refunded = refunds.refundsOf(attempt.paymentRequestId()).stream()
                .filter(r -> r.state() == RefundState.REFUNDED).mapToLong(Refund::amountValue).sum();
        return refunded >= attempt.amountValue();
    }

    /**
     * REFUNDED when refunds (done or on their way) cover the whole payment, PARTLY_REFUNDED when they cover part of it;
     * a failed refund gave nothing back.
     */
    private java.util.Optional<Reason> refundReason(PaymentAttempt attempt) {
        List<Refund> ofPayment = refunds.refundsOf(attempt.paymentRequestId());
        long held = RefundRules.held(ofPayment);
        if (held == 0) {
            return java.util.Optional.empty();
        }
        String detail = held + " of " + attempt.amountValue() + " " + attempt.currency() + " refunded or being refunded";
        return java.util.Optional.of(new Reason(RefundRules.refundable(attempt, ofPayment) == 0 ? "REFUNDED"
                : "PARTLY_REFUNDED", attempt.paymentRequestId(), detail));
    }

    /**
     * Confirmed with Antom within the freshness, or by the inquiry made at {@code askedAt} (with a freshness of 0, only
     * that one counts).
     */
    private boolean freshlyConfirmed(PaymentAttempt attempt, OffsetDateTime askedAt) {
        OffsetDateTime confirmed = attempt.confirmedAt();
        return confirmed != null && (askedAt != null && !confirmed.isBefore(askedAt)
                || confirmed.isAfter(OffsetDateTime.now(clock).minus(freshness)));
    }


    private static Reason flagReason(PaymentAttempt attempt) {
        String flag = attempt.flagReason() == null ? "" : attempt.flagReason();
        // a flag may carry several reasons (PaymentLedger adds each): the weightiest names the code
        String code = flag.contains("AMOUNT_MISMATCH") ? "AMOUNT_MISMATCH"
                : flag.contains("RECONCILIATION") ? "FLAGGED_BY_RECONCILIATION" : "FLAGGED";
        return new Reason(code, attempt.paymentRequestId(), flag);
    }
}
