package com.checkoutroutes.notifications;

import com.checkoutroutes.ledger.OutboxMessage;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentEvents;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.ledger.Transition;
import com.checkoutroutes.notifications.NotificationInbox.Outcome;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Objects;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies a verified notification to the ledger in one transaction: the inbox row (so a resend is a no-op), the
 * state change through the state machine, its result event, and, when a second attempt of an order succeeded,
 * the follow-up that cancels it at Antom. A notification never undoes a final state.
 */
@Component
public class NotificationApplier {

    private final PaymentLedger ledger;
    private final NotificationInbox inbox;
    private final PaymentEvents events;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final String cancelDestination;

    public NotificationApplier(PaymentLedger ledger, NotificationInbox inbox, PaymentEvents events,
            TransactionTemplate tx, ObjectMapper json,
            @Value("${checkout.outbox.duplicate-cancel-destination}") String cancelDestination) {
        this.ledger = ledger;
        this.inbox = inbox;
        this.events = events;
        this.tx = tx;
        this.json = json;
        this.cancelDestination = cancelDestination;
    }

    /** What happened to one notification; {@code duplicate} when this content was accepted before. */
    public record Applied(Outcome outcome, boolean duplicate, String paymentRequestId, String detail) {
    }

    public boolean isDuplicate(AntomNotification n) {
        return Boolean.TRUE.equals(tx.execute(status -> inbox.seenBefore(n.dedupeKey())));
    }

    public Applied apply(AntomNotification n, String body) {
        try {
            return tx.execute(status -> {
                if (inbox.seenBefore(n.dedupeKey())) {
                    return new Applied(null, true, n.paymentRequestId(), "duplicate");
                }
                Applied applied = applyNew(n);
                inbox.record(n, applied.outcome(), applied.detail(), body);
                return applied;
            });
        } catch (DuplicateKeyException concurrentCopy) {
            // two copies arrived at once: the other one's transaction applied it, this one rolled back
            return new Applied(null, true, n.paymentRequestId(), "duplicate");
        }
    }

    private Applied applyNew(AntomNotification n) {
        if (!AntomNotification.PAYMENT_RESULT.equals(n.notifyType()) && !AntomNotification.PAYMENT_PENDING.equals(
                n.notifyType()) && !n.isCapture()) {
            return new Applied(Outcome.IGNORED, false, n.paymentRequestId(), "notifyType " + n.notifyType());
        }
        Optional<PaymentAttempt> found = attemptOf(n);
        if (found.isEmpty()) {
            return new Applied(Outcome.UNMATCHED, false, n.paymentRequestId(), "no attempt for this notification");
        }
        return applyResult(found.get(), n, n.notifyType() + (n.succeeded() ? "" : "_" + n.resultStatus()));
    }

    /**
     * Applies a result Antom reported, by notification or by inquiry, to an attempt locked in the current
     * transaction: the same rules whatever the source (final states stay final, mismatches flagged).
     */
    public Applied applyResult(PaymentAttempt attempt, AntomNotification n, String cause) {
        String prid = attempt.paymentRequestId();
        PaymentState target = target(n, attempt);
        String mismatch = amountMismatch(n, attempt);
        if (mismatch != null) {
            ledger.note(prid, "AMOUNT_MISMATCH", mismatch, "AMOUNT_MISMATCH: " + mismatch);
        }
        if (target == attempt.state()) {
            ledger.confirm(prid);
            return new Applied(mismatch != null ? Outcome.MISMATCH : Outcome.APPLIED, false, prid, "already " + target);
        }
        if (!attempt.state().canMoveTo(target)) {
            boolean contradicts = (attempt.state().isPaid() && !target.isPaid() && target != PaymentState.PENDING)
                    || (target.isPaid() && !attempt.state().isPaid() && attempt.state().isFinal());
            String detail = cause + " " + n.resultStatus() + " " + n.resultCode() + " while "
                    + attempt.state() + ": kept " + attempt.state();
            ledger.note(prid, "NOTIFICATION_CONFLICT", detail, contradicts ? "CONFLICTING_RESULT: " + detail : null);
            return new Applied(Outcome.CONFLICT, false, prid, detail);
        }
        Transition change = Transition.to(target, cause)
                .paymentId(n.paymentId())
                .result(n.resultCode(), n.resultMessage())
                .detail(n.resultStatus() + " " + n.resultCode())
                .confirmed()
                .emit(events.stateChanged(attempt, attempt.state(), target, cause, n.paymentId(), n.resultCode(),
                        n.resultMessage()));
        if (n.isCapture() && n.captureId() != null) {
            change.captureId(n.captureId());
        }
        if (target.isPaid() && !attempt.state().isPaid() && anotherAttemptPaid(attempt)) {
            // one order, one payment: the docs' advice is to cancel the extra one, which refunds the buyer
            change.flag("DUPLICATE_PAYMENT: order " + attempt.orderId() + " was already paid")
                    .emit(new OutboxMessage(cancelDestination, attempt.orderId(), prid));
        }
        ledger.apply(prid, change);
        if (attempt.paymentId() == null && n.paymentId() != null) {
            rematch(n.paymentId());
        }
        return new Applied(mismatch != null ? Outcome.MISMATCH : Outcome.APPLIED, false, prid, cause);
    }

    /**
     * Applies notifications that arrived before the ledger knew their paymentId (Antom can notify a card's capture
     * before the payment's own answer is recorded). Call inside the transaction that stored the paymentId.
     */
    public void rematch(String paymentId) {
        for (String body : inbox.unmatchedFor(paymentId)) {
            AntomNotification early;
            try {
                early = AntomNotification.from(json.readTree(body));
            } catch (Exception e) {
                continue;
            }
            Optional<PaymentAttempt> attempt = ledger.findByPaymentId(paymentId)
                    .flatMap(a -> ledger.lock(a.paymentRequestId()));
            if (attempt.isPresent()) {
                Applied applied = applyResult(attempt.get(), early, early.notifyType() + "_EARLY");
                inbox.resolve(early.dedupeKey(), applied.outcome(), "matched later: " + applied.detail());
            }
        }
    }

    private Optional<PaymentAttempt> attemptOf(AntomNotification n) {
        Optional<PaymentAttempt> attempt = Optional.empty();
        if (n.paymentRequestId() != null && !n.isCapture()) {
            attempt = ledger.lock(n.paymentRequestId());
        }
        if (attempt.isEmpty() && n.paymentId() != null) {
            attempt = ledger.findByPaymentId(n.paymentId()).flatMap(a -> ledger.lock(a.paymentRequestId()));
        }
        return attempt;
    }

    private static PaymentState target(AntomNotification n, PaymentAttempt attempt) {
        if (n.isCapture()) {
            return n.succeeded() ? PaymentState.CAPTURED : PaymentState.CAPTURE_FAILED;
        }
        if (AntomNotification.PAYMENT_PENDING.equals(n.notifyType())) {
            return PaymentState.PENDING;
        }
        if (n.succeeded()) {
            if (attempt.state().isPaid()) {
                // a payment already paid (and perhaps captured since) is confirmed, not moved back
                return attempt.state();
            }
            return "MANUAL".equals(attempt.captureMode()) ? PaymentState.AUTHORISED : PaymentState.SUCCEEDED;
        }
        return "ORDER_IS_CLOSED".equals(n.resultCode()) ? PaymentState.EXPIRED : PaymentState.FAILED;
    }

    private static String amountMismatch(AntomNotification n, PaymentAttempt attempt) {
        if (n.amountValue() == null && n.currency() == null) {
            return null;
        }
        boolean same = Objects.equals(n.currency(), attempt.currency())
                && Objects.equals(n.amountValue(), String.valueOf(attempt.amountValue()));
        return same ? null : "notified " + n.amountValue() + " " + n.currency() + ", ordered "
                + attempt.amountValue() + " " + attempt.currency();
    }

    private boolean anotherAttemptPaid(PaymentAttempt attempt) {
        return ledger.attemptsOf(attempt.orderId()).stream()
                .anyMatch(other -> !other.paymentRequestId().equals(attempt.paymentRequestId())
                        && other.state().isPaid());
    }
}
