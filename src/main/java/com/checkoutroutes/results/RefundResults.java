package com.checkoutroutes.results;

import com.checkoutroutes.ledger.NotificationInbox.Outcome;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.Refund;
import com.checkoutroutes.ledger.RefundChange;
import com.checkoutroutes.ledger.RefundLedger;
import com.checkoutroutes.ledger.RefundRules;
import com.checkoutroutes.ledger.RefundState;
import com.checkoutroutes.results.ResultApplier.Applied;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one place where a refund's result learnt from Antom changes the ledger, whatever told it: the answer to
 * {@code refund}, {@code notifyRefund} or {@code inquiryRefund}. The same rules as {@link ResultApplier} for payments:
 * the state change through {@link RefundState}'s machine with its result event, final states stay final (a result
 * contradicting one is recorded and flags the payment), an amount that differs flags the payment. A refund that
 * failed flags its payment too: the buyer did not get the money back and an operator must see to it.
 */
@Component
public class RefundResults {

    private final RefundLedger refunds;
    private final PaymentLedger payments;
    private final TransactionTemplate tx;

    RefundResults(RefundLedger refunds, PaymentLedger payments, TransactionTemplate tx) {
        this.refunds = refunds;
        this.payments = payments;
        this.tx = tx;
    }

    /**
     * A refund of {@code payment} this service never asked for (every one of ours is stored before Antom hears of it):
     * made in Antom's Dashboard, say. It flags the payment, once per refund, whoever found it (a notifyRefund, an
     * inquiry): the order is then neither shipped nor refunded again as if its money were all there (the pre-shipment
     * check's hold; {@link RefundRules#refuseWhileRefundedOutside}), and an operator
     * who looked into it and cleared the flag is not overruled by the next inquiry.
     */
    public void flagRefundNotOurs(PaymentAttempt payment, String refundId, String how) {
        String prid = payment.paymentRequestId();
        String named = "refund " + refundId + " ";
        if (!payments.noted(prid, RefundRules.REFUND_NOT_OURS, detail -> String.valueOf(detail).startsWith(named))) {
            payments.note(prid, RefundRules.REFUND_NOT_OURS, named + how, RefundRules.REFUND_NOT_OURS + ": " + named + how);
        }
    }

    /** How the inbox describes a notifyRefund that flagged its payment this way. */
    public static final String NOT_OURS_FLAGGED = "no refund for this notification; its payment flagged";

    /** {@link #flagRefundNotOurs} for a successful notifyRefund naming a refund this service has not stored. */
    public void flagRefundNotOurs(PaymentAttempt payment, AntomResult notification) {
        // named as an inquiry and the settlement report name it, so that one refund is flagged once, whoever finds it
        String named = notification.refundRequestId() != null ? notification.refundRequestId()
                : notification.refundId();
        flagRefundNotOurs(payment, named, "(" + notification.amountValue() + " "
                + notification.currency() + ") made outside this service");
    }

    /** Whether a refund Antom lists (by its refundRequestId or refundId) is one this service stored for the payment. */
    public boolean isOurs(PaymentAttempt payment, String refundRequestId, String refundId) {
        return refunds.refundsOf(payment.paymentRequestId()).stream()
                .anyMatch(r -> r.refundRequestId().equals(refundRequestId)
                        || (refundId != null && refundId.equals(r.refundId())));
    }

    /** The refund a result names: by refundRequestId, else by Antom's refundId. */
    public Optional<Refund> refundOf(AntomResult result) {
        Optional<Refund> refund = result.refundRequestId() == null ? Optional.empty()
                : refunds.find(result.refundRequestId());
        return refund.isPresent() || result.refundId() == null ? refund : refunds.findByRefundId(result.refundId());
    }

    /**
     * Applies a refund's final result ({@link AntomResult#isRefund()}: {@code notifyRefund}, {@code inquiryRefund}) to
     * the stored refund, in one transaction.
     */
    public Applied apply(Refund refund, AntomResult result, String cause) {
        return tx.execute(status -> applyLocked(refunds.lock(refund.refundRequestId()).orElseThrow(), result,
                RefundState.onResult(result.refundSucceeded()), cause));
    }

    /**
     * Applies Antom's answer to {@code refund}: S accepts the refund (ACCEPTED), F fails it. An S that finds the refund
     * already further on (its notification came first) is old news, not a conflict.
     */
    public Applied applyAnswer(Refund refund, AntomResult result, String cause) {
        return tx.execute(status -> applyLocked(refunds.lock(refund.refundRequestId()).orElseThrow(), result,
                RefundState.onAnswer(result.refundSucceeded()), cause));
    }

    private Applied applyLocked(Refund refund, AntomResult n, RefundState target, String cause) {
        String id = refund.refundRequestId();
        String prid = refund.paymentRequestId();
        String mismatch = amountMismatch(n, refund);
        if (mismatch != null) {
            payments.note(prid, "REFUND_AMOUNT_MISMATCH", mismatch, "AMOUNT_MISMATCH: refund " + id + " " + mismatch);
        }
        Outcome applied = mismatch != null ? Outcome.MISMATCH : Outcome.APPLIED;
        if (refund.state() == target || target == RefundState.ACCEPTED && refund.state().isFinal()) {
            refunds.confirm(id);
            return new Applied(applied, prid, "refund already " + refund.state());
        }
        if (!refund.state().canMoveTo(target)) {
            String detail = cause + " " + n.refundStatus() + " " + n.resultCode() + " while " + refund.state()
                    + ": kept " + refund.state();
            refunds.note(id, "REFUND_RESULT_CONFLICT", detail);
            payments.note(prid, "REFUND_RESULT_CONFLICT", "refund " + id + ": " + detail,
                    "CONFLICTING_REFUND_RESULT: refund " + id + " " + detail);
            return new Applied(Outcome.CONFLICT, prid, detail);
        }
        refunds.apply(id, RefundChange.to(target, cause)
                .refundId(n.refundId())
                .result(n.resultCode(), n.resultMessage())
                .detail(n.refundStatus() + " " + n.resultCode())
                .confirmed());
        if (refund.state() == RefundState.FAILED) {
            // the buyer may have been paid back by hand on the failure (the console said so): an operator checks
            String detail = "refund " + id + " of " + refund.amountValue() + " " + refund.currency()
                    + " failed before (" + refund.resultCode() + "), Antom now reports it " + target;
            PaymentAttempt payment = payments.find(prid).orElseThrow();
            long held = RefundRules.held(refunds.refundsOf(prid));
            if (held > RefundRules.captured(payment)) {
                // its amount, freed by the failure, was refunded again meanwhile: the buyer got it twice
                detail += "; the refunds now total " + held + ", more than the " + RefundRules.captured(payment)
                        + " captured";
            }
            payments.note(prid, "REFUNDED_AFTER_FAILURE", detail, "REFUNDED_AFTER_FAILURE: " + detail
                    + "; nothing more may be given back by hand");
        } else if (target == RefundState.FAILED) {
            payments.note(prid, "REFUND_FAILED", "refund " + id + ": " + n.resultCode() + " " + n.resultMessage(),
                    "REFUND_FAILED: refund " + id + " of " + refund.amountValue() + " " + refund.currency() + " ("
                            + n.resultCode() + ")");
        }
        return new Applied(applied, prid, cause);
    }

    private static String amountMismatch(AntomResult n, Refund refund) {
        return !n.amountDiffersFrom(refund.amountValue(), refund.currency()) ? null
                : "reported " + n.amountValue() + " " + n.currency() + ", asked " + refund.amountValue()
                + " " + refund.currency();
    }

    /** A refund's result as Antom's {@code refund} answer or {@code inquiryRefund} gave it. */
    static AntomResult refundResult(Refund refund, boolean succeeded, String refundId, String code, String message,
            String currency, String value) {
        return new AntomResult(AntomResult.REFUND_RESULT, succeeded ? "S" : "F", code, message, null, null, null,
                null, currency, value, refund.refundRequestId(), refundId, succeeded ? "SUCCESS" : "FAIL",
                null, null);
    }
}
