package com.checkoutroutes.results;

import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.Refund;
import com.checkoutroutes.ledger.RefundLedger;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.commons.lang3.StringUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Gives back a second successful payment of an order, as the docs advise for "payment failed retry" flows: cancelled
 * at Antom (which refunds the buyer), or, where Antom refuses the cancel (its window passed, a method without cancel)
 * or it is captured, refunded in full. A cancel that stays unknown, or a refund Antom refuses, is recorded and flagged
 * for an operator.
 * <p>
 * It reads the duplicate's paymentRequestId from the topic the outbox queues it on (routes/notifications.yaml), on a
 * consumer thread of its own: the outbox publisher, which once ran it, waited for Antom's answer with every other
 * order's events behind it. Running it again is harmless: it acts only on an attempt still paid, and its refund is
 * stored once per payment. One that still fails after the route's tries (duplicate-payment-errors) is noted on the
 * attempt and flagged for an operator ({@link #notDone}).
 */
@Component
public class DuplicatePaymentCanceller {

    private static final Logger LOG = LoggerFactory.getLogger(DuplicatePaymentCanceller.class);

    /** The refund of a duplicate is made once per payment, however often this runs. */
    static final String REFUND_KEY = "DUPLICATE_PAYMENT";

    private final PaymentLedger ledger;
    private final AntomCancels cancels;
    private final RefundLedger refunds;

    private final Clock clock;
    private final TransactionTemplate tx;

    public DuplicatePaymentCanceller(PaymentLedger ledger, AntomCancels cancels, RefundLedger refunds, Clock clock,
            TransactionTemplate tx) {
        this.ledger = ledger;
        this.cancels = cancels;
        this.refunds = refunds;
        this.clock = clock;
        this.tx = tx;
    }

    /**
     * A record of the duplicate-payments topic: the paymentRequestId of the attempt to give back, if it is still a
     * second payment. One whose order's other payment was cancelled since it was queued (an expiry's cancel that
     * raced the buyer, say) is the order's own payment now: kept, its duplicate flag withdrawn. One whose order's own
     * payment may still be cancelled ({@link #mayStillBeCancelled}) is not given back either (both would be): noted
     * and flagged for an operator, who gives it back from the console once that cancel's result is known; if that
     * cancel is done, it is queued here again ({@link ResultApplier#rematchAfter}) and kept as the order's own.
     */
    public void cancel(String paymentRequestId) {
        cancel(paymentRequestId, false);
    }

    private void cancel(String paymentRequestId, boolean again) {
        PaymentAttempt attempt = ledger.find(paymentRequestId).orElse(null);
        if (attempt == null || !attempt.state().isPaid()) {
            return;
        }
        List<PaymentAttempt> ofOrder = ledger.attemptsOf(attempt.orderId());
        if (!attempt.isSecondPaymentAmong(ofOrder)) {
            // its duplicate flag held its capture and its order's shipment for an operator, for nothing; so did the
            // note that it was not given back while the other's cancel was on its way
            ledger.withdrawFlags(paymentRequestId, List.of(PaymentAttempt.DUPLICATE_PAYMENT,
                    PaymentAttempt.DUPLICATE_NOT_GIVEN_BACK), "DUPLICATE_KEPT", "its order's other payment was "
                    + "cancelled since: this is the order's own payment now, kept, its "
                    + PaymentAttempt.DUPLICATE_PAYMENT + " flag withdrawn");
            return;
        }
        PaymentAttempt own = PaymentAttempt.ordersOwnPayment(ofOrder).orElseThrow();
        if (mayStillBeCancelled(own)) {
            if (!leftToAnOperator(paymentRequestId, own.paymentRequestId())) {
                if (!again) {
                    cancel(paymentRequestId, true); // its own payment moved on as this looked: decided again, once
                } else {
                    LOG.warn("duplicate payment {}: its order's own payment {} moved on twice as it was looked at; "
                            + "left as it is, for an operator", paymentRequestId, own.paymentRequestId());
                }
            }
            return;
        }
        giveBack(attempt);
    }

    /**
     * Notes and flags the second payment {@code DUPLICATE_NOT_GIVEN_BACK} under the order's own payment's row lock,
     * while that one may still be cancelled: its cancel's answer, committing meanwhile, then either sees the flag and
     * queues this payment here again (ResultApplier), or has committed first and is seen here. False, noting nothing,
     * when the own payment moved on.
     */
    private boolean leftToAnOperator(String paymentRequestId, String ownPaymentRequestId) {
        return Boolean.TRUE.equals(tx.execute(status -> {
            PaymentAttempt own = ledger.lock(ownPaymentRequestId).orElse(null);
            if (own == null || !own.state().isPaid() || !mayStillBeCancelled(own)) {
                return false;
            }
            String detail = "the order's own payment " + ownPaymentRequestId + " has a cancel that may still reach "
                    + "Antom, or whose result is not known: giving this one back too could leave the order unpaid";
            ledger.note(paymentRequestId, PaymentAttempt.DUPLICATE_NOT_GIVEN_BACK, detail,
                    PaymentAttempt.DUPLICATE_NOT_GIVEN_BACK + ": " + detail);
            return true;
        }));
    }

    /**
     * Whether a cancel of the order's own payment may still give its money back: one on its way now, or one Antom
     * refused or never answered, or lists ({@code CANCEL_NOT_DONE}, {@code CANCEL_LISTED}); not for a payment a
     * cancel gives nothing back of (captured).
     */
    private boolean mayStillBeCancelled(PaymentAttempt own) {
        return own.state().cancelGivesMoneyBack() && (ledger.cancelOnItsWay(own.paymentRequestId(),
                OffsetDateTime.now(clock)) || own.flaggedWith("CANCEL_NOT_DONE") || own.flaggedWith("CANCEL_LISTED"));
    }

    /**
     * Cancels the paid second payment, or refunds it in full where it can no longer be cancelled (at most one such
     * refund per payment); also what an operator's "give back" does once this failed. True when it is cancelled or
     * its refund was made.
     */
    public boolean giveBack(PaymentAttempt attempt) {
        return cancels.cancelOrRefund(attempt, "DUPLICATE_PAYMENT_CANCELLED", REFUND_KEY);
    }

    /**
     * The refund that gives the second payment back, once one was made (whatever Antom answered to it); else any other
     * refund of it that holds money (an order's cancellation refunds each paid payment in full).
     */
    public Optional<Refund> refundOf(String paymentRequestId) {
        List<Refund> all = refunds.refundsOf(paymentRequestId);
        return all.stream().filter(r -> REFUND_KEY.equals(r.requestKey())).findFirst()
                .or(() -> all.stream().filter(r -> r.state().holdsAmount()).findFirst());
    }

    /** The cancel failed, and its tries are over: the attempt says so and is flagged, so an operator gives it back. */
    public void notDone(@Body String paymentRequestId, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception failure) {
        // the flag's reason keeps 512 characters
        String detail = "giving back the second payment failed: " + StringUtils.abbreviate(failure.toString(), 400);
        if (ledger.find(paymentRequestId).isEmpty()) {
            LOG.warn("duplicate payment {} is not in the ledger; {}", paymentRequestId, detail);
            return;
        }
        LOG.warn("duplicate payment {}: {}; flagged CANCEL_NOT_DONE for an operator", paymentRequestId, detail);
        ledger.note(paymentRequestId, "CANCEL_NOT_DONE", detail, "CANCEL_NOT_DONE: " + detail);
    }
}
