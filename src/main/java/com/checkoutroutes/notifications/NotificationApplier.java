package com.checkoutroutes.notifications;

import com.checkoutroutes.ledger.DisputeHistory;
import com.checkoutroutes.ledger.GroupCommit;
import com.checkoutroutes.ledger.NotificationInbox.Outcome;
import com.checkoutroutes.ledger.NotificationInbox;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.Refund;
import com.checkoutroutes.ledger.RefundRules;
import com.checkoutroutes.results.AntomResult;
import com.checkoutroutes.results.RefundResults;
import com.checkoutroutes.results.ResultApplier;
import java.util.Optional;
import java.util.Set;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies a verified notification in one transaction: the inbox row (so a resend is a no-op) and the result, through
 * the {@link ResultApplier} that inquiries use too (a refund's result through {@link RefundResults}).
 * <p>
 * Both writes (the count of a copy received, the application) go through the ledger's {@link GroupCommit}: the
 * notifications arriving together, and the orders' writes of that moment, are made durable by one commit instead of
 * one each. Each still returns only once committed, so Antom hears SUCCESS only for what is durable.
 */
@Component
public class NotificationApplier {

    /** The history cause of a dispute's step that needs nothing of an operator. */
    static final String DISPUTE_NOTIFIED = "DISPUTE_NOTIFIED";
    /** The steps that need nothing: the defence supplied (by the merchant), the dispute withdrawn by its buyer. */
    private static final Set<String> NEED_NOTHING = Set.of("DEFENSE_SUPPLIED", "DISPUTE_CANCELLED");

    private final PaymentLedger ledger;
    private final NotificationInbox inbox;
    private final ResultApplier results;
    private final RefundResults refundResults;
    private final TransactionTemplate tx;
    private final GroupCommit groupCommit;

    public NotificationApplier(PaymentLedger ledger, NotificationInbox inbox, ResultApplier results,
            RefundResults refundResults, TransactionTemplate tx, GroupCommit groupCommit) {
        this.ledger = ledger;
        this.inbox = inbox;
        this.results = results;
        this.refundResults = refundResults;
        this.tx = tx;
        this.groupCommit = groupCommit;
    }

    /** What happened to one notification; {@code duplicate} when this content was accepted before. */
    public record Applied(Outcome outcome, boolean duplicate, String paymentRequestId, String detail) {
    }

    public boolean isDuplicate(AntomResult n) {
        return groupCommit.execute(() -> Boolean.TRUE.equals(tx.execute(status -> inbox.seenBefore(n.dedupeKey()))));
    }

    public Applied apply(AntomResult n, String body) {
        return groupCommit.execute(() -> applyInTransaction(n, body));
    }

    /**
     * In a group commit a duplicate key (a copy applied at the same moment) rolls back the whole batch, whose writes
     * then run again one by one: this one then in its own transaction, where the catch below answers "duplicate".
     */
    private Applied applyInTransaction(AntomResult n, String body) {
        try {
            return tx.execute(status -> {
                if (inbox.seenBefore(n.dedupeKey())) {
                    return new Applied(null, true, n.paymentRequestId(), "duplicate");
                }
                Applied applied = applyNew(n);
                inbox.record(new NotificationInbox.Entry(n.dedupeKey(), n.notifyType(), n.paymentRequestId(),
                        n.paymentId(), n.captureRequestId(), n.refundRequestId()), applied.outcome(), applied.detail(),
                        body);
                return applied;
            });
        } catch (DuplicateKeyException concurrentCopy) {
            // two copies arrived at once: the other one's transaction applied it, this one rolled back
            return new Applied(null, true, n.paymentRequestId(), "duplicate");
        }
    }

    private Applied applyNew(AntomResult n) {
        if (n.isRefund()) {
            Optional<Refund> refund = refundResults.refundOf(n);
            if (refund.isEmpty()) {
                return refundNotOurs(n);
            }
            ResultApplier.Applied applied = refundResults.apply(refund.get(), n,
                    n.notifyType() + (n.refundSucceeded() ? "" : "_FAIL"));
            return new Applied(applied.outcome(), false, applied.paymentRequestId(), applied.detail());
        }
        if (n.isDispute()) {
            return dispute(n);
        }
        if (n.kind() == null) {
            return new Applied(Outcome.IGNORED, false, n.paymentRequestId(), "notifyType " + n.notifyType());
        }
        Optional<PaymentAttempt> found = attemptOf(n);
        if (found.isEmpty()) {
            return new Applied(Outcome.UNMATCHED, false, n.paymentRequestId(), "no attempt for this notification");
        }
        ResultApplier.Applied applied = results.apply(found.get(), n,
                n.notifyType() + (n.succeeded() ? "" : "_" + n.resultStatus()));
        return new Applied(applied.outcome(), false, applied.paymentRequestId(), applied.detail());
    }

    /** A refund this service never asked for: one that took money flags its payment (RefundResults says why). */
    private Applied refundNotOurs(AntomResult n) {
        Optional<PaymentAttempt> payment = n.refundSucceeded() ? attemptOf(n) : Optional.empty();
        if (payment.isEmpty()) {
            return new Applied(Outcome.UNMATCHED, false, n.paymentRequestId(), "no refund for this notification");
        }
        refundResults.flagRefundNotOurs(payment.get(), n);
        return new Applied(Outcome.UNMATCHED, false, payment.get().paymentRequestId(),
                RefundResults.NOT_OURS_FLAGGED);
    }

    /**
     * A dispute changes no state (Antom freezes or takes the money by its own process): it is noted on its payment,
     * and every step but the two that need nothing flags it ({@link RefundRules#DISPUTED}), so that the order is held
     * from shipment, nothing more is refunded of it, and an operator sees it in the console.
     */
    private Applied dispute(AntomResult n) {
        Optional<PaymentAttempt> payment = attemptOf(n);
        if (payment.isEmpty()) {
            return new Applied(Outcome.UNMATCHED, false, n.paymentRequestId(), "no payment for this dispute");
        }
        String prid = payment.get().paymentRequestId();
        String detail = DisputeHistory.detail(n.disputeId(), n.disputeNotificationType());
        if (NEED_NOTHING.contains(n.disputeNotificationType())) {
            ledger.note(prid, DISPUTE_NOTIFIED, detail, null);
        } else {
            ledger.note(prid, RefundRules.DISPUTED, detail, RefundRules.DISPUTED + ": " + detail + " (answer it in"
                    + " Antom's Dashboard; nothing is refunded of this payment until the flag is cleared)");
        }
        return new Applied(Outcome.APPLIED, false, prid, detail);
    }

    private Optional<PaymentAttempt> attemptOf(AntomResult n) {
        Optional<PaymentAttempt> attempt = Optional.empty();
        if (n.paymentRequestId() != null && !n.isCapture()) {
            attempt = ledger.lock(n.paymentRequestId());
        }
        if (attempt.isEmpty() && n.paymentId() != null) {
            attempt = ledger.findByPaymentId(n.paymentId()).flatMap(a -> ledger.lock(a.paymentRequestId()));
        }
        return attempt;
    }
}
