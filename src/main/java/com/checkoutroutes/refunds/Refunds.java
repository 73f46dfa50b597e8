package com.checkoutroutes.refunds;

import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.Refund;
import com.checkoutroutes.ledger.RefundAmount;
import com.checkoutroutes.ledger.RefundLedger;
import com.checkoutroutes.ledger.RefundRefusedException;
import com.checkoutroutes.results.AntomRefunds;
import com.checkoutroutes.results.PaymentInquiries;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Refunds an order's payment: the one service every refund request goes through (a returned order, an operator),
 * applying all the rules. The order's payment is the attempt paid first (a later one is a duplicate, which
 * {@code results.DuplicatePaymentCanceller} gives back on its own); the ledger checks that its money is captured and
 * that refunds never total more than was captured ({@code ledger.RefundRules}); the refund is stored with its
 * refundRequestId before Antom is called, once per request key, so the same request again never refunds twice.
 * A refusal is a {@link RefundRefusedException} with its code, and nothing was stored or sent.
 */
@Component
public class Refunds {

    private final PaymentLedger payments;
    private final RefundLedger refunds;
    private final AntomRefunds antom;
    private final PaymentInquiries inquiries;

    public Refunds(PaymentLedger payments, RefundLedger refunds, AntomRefunds antom, PaymentInquiries inquiries) {
        this.inquiries = inquiries;
        this.payments = payments;
        this.refunds = refunds;
        this.antom = antom;
    }

    /**
     * A refund request. {@code requestKey} names the request (the same key again finds the same refund);
     * {@code amount} null refunds all that is left; {@code reason} (optional) goes to Antom as the refundReason;
     * {@code requestedBy} says who asked (a user, {@code order-system}).
     */
    public record Request(String orderId, String requestKey, RefundAmount amount, String reason, String requestedBy) {
    }

    /**
     * An operator's refund (the console's action): a new refund each call, of {@code amount} in the payment's currency
     * (null: all that is left). Returns the refund as Antom left it: ACCEPTED (or already REFUNDED), FAILED with
     * Antom's code, or UNKNOWN until the janitor learns its result.
     */
    public Refund request(String orderId, RefundAmount amount, String reason, String requestedBy) {
        return request(new Request(orderId, "REQUEST:" + UUID.randomUUID(), amount, reason, requestedBy));
    }

    /** Refunds as {@code request} says; a request stored before is sent again only if it never reached Antom. */
    public Refund request(Request request) {
        if (request.orderId() == null || request.orderId().isBlank()) {
            throw new RefundRefusedException("MISSING_FIELD", "orderId is required");
        }
        if (request.requestedBy() == null || request.requestedBy().isBlank()) {
            throw new RefundRefusedException("MISSING_FIELD", "who asks for the refund (requestedBy) is required");
        }
        // a capture in progress: Antom may know by now whether the money was taken
        PaymentAttempt payment = inquiries.settleCapture(paymentOf(request.orderId())).attempt();
        RefundLedger.Opened opened = refunds.open(payment.paymentRequestId(), request.requestKey(), request.amount(),
                request.reason(), request.requestedBy());
        return antom.sendIfNew(opened);
    }

    /** The order's payment, the one a refund gives money back from: the attempt that was paid first. */
    public PaymentAttempt paymentOf(String orderId) {
        List<PaymentAttempt> attempts = payments.attemptsOf(orderId);
        if (attempts.isEmpty()) {
            throw new RefundRefusedException("UNKNOWN_ORDER", "no payment for order " + orderId);
        }
        return PaymentAttempt.ordersOwnPayment(attempts).orElseThrow(() -> PaymentAttempt.resultAwaitedAmong(attempts)
                ? new RefundRefusedException(PaymentAttempt.PAYMENT_NOT_KNOWN_YET, "no payment of order " + orderId
                        + " succeeded yet, and one has no result yet")
                : new RefundRefusedException("NOT_PAID", "no payment of order " + orderId + " succeeded"));
    }
}
