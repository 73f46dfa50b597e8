package com.checkoutroutes.results;

import com.checkoutroutes.ledger.NotificationInbox.Outcome;
import com.checkoutroutes.ledger.NotificationInbox;
import com.checkoutroutes.ledger.OrderCancellations;
import com.checkoutroutes.ledger.Outbox;
import com.checkoutroutes.ledger.OutboxMessage;
import com.checkoutroutes.ledger.OutboxSettings;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentEvents;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.ledger.Transition;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The one place where a result learnt from Antom (a notification, or the answer to an inquiry) changes the ledger:
 * the state change through the state machine, its result event, an amount that differs flagged, and, when a second
 * attempt of an order succeeded, the follow-up that cancels it at Antom. A result never undoes a final state.
 * Call inside a transaction that holds the attempt's lock.
 */
@Component
public class ResultApplier {

    private final PaymentLedger ledger;
    private final NotificationInbox inbox;
    private final PaymentEvents events;
    private final ObjectMapper json;
    private final RefundResults refundResults;
    private final String cancelDestination;
    private final OrderCancellations cancellations;
    private final Outbox outbox;

    public ResultApplier(PaymentLedger ledger, NotificationInbox inbox, PaymentEvents events, ObjectMapper json,
            RefundResults refundResults, OutboxSettings outboxSettings, OrderCancellations cancellations,
            Outbox outbox) {
        this.ledger = ledger;
        this.inbox = inbox;
        this.events = events;
        this.json = json;
        this.refundResults = refundResults;
        this.cancelDestination = outboxSettings.duplicateCancelDestination();
        this.cancellations = cancellations;
        this.outbox = outbox;
    }

    /** What applying one result did. */
    public record Applied(Outcome outcome, String paymentRequestId, String detail) {
    }

    /**
     * Applies a result Antom reported, by notification or by inquiry, to an attempt locked in the current
     * transaction: the same rules whatever the source (final states stay final, mismatches flagged).
     */
    public Applied apply(PaymentAttempt attempt, AntomResult n, String cause) {
        String prid = attempt.paymentRequestId();
        PaymentState target = attempt.state().onResult(n.kind(), n.succeeded(), n.resultCode(),
                attempt.captureMode());
        if (n.isCapture() && attempt.state().isOpen()) {
            // a capture that overtook its payment's own result (an automatic card's notifyCapture before its
            // notifyPayment): kept UNMATCHED in the inbox and applied once the attempt leaves its open state (rematch)
            return new Applied(Outcome.UNMATCHED, prid, "capture before the payment's result: applied after it");
        }
        String mismatch = amountMismatch(n, attempt);
        if (mismatch != null) {
            ledger.note(prid, "AMOUNT_MISMATCH", mismatch, "AMOUNT_MISMATCH: " + mismatch);
        }
        if (n.isCapture() && !n.succeeded() && n.captureRequestId() != null && attempt.captureRequestId() != null
                && !n.captureRequestId().equals(attempt.captureRequestId())) {
            // a failure of an earlier capture, reported after another was requested: it says nothing about the
            // capture under way (a success is applied whichever capture it names: the money is taken)
            String detail = cause + " F for capture " + n.captureRequestId() + ", not the attempt's current "
                    + attempt.captureRequestId() + ": kept " + attempt.state();
            ledger.note(prid, "STALE_CAPTURE_RESULT", detail, null);
            return new Applied(Outcome.APPLIED, prid, detail);
        }
        if (target == attempt.state()) {
            ledger.confirm(prid);
            return new Applied(mismatch != null ? Outcome.MISMATCH : Outcome.APPLIED, prid, "already " + target);
        }
        if (!attempt.state().canMoveTo(target)) {
            // a failed capture of money the ledger holds as taken (an automatic card's, or its own capture's) too:
            // the order would ship, and be refundable, on money Antom never took
            // a failed capture of a closed attempt (one given up when its order was cancelled) took nothing
            boolean tookNothing = n.isCapture() && !n.succeeded();
            boolean contradicts = (attempt.state().isPaid() && !target.isPaid() && target != PaymentState.PENDING)
                    || (target.isPaid() && !tookNothing && !attempt.state().isPaid() && attempt.state().isFinal())
                    || (n.isCapture() && !n.succeeded() && attempt.state().isCaptured());
            String detail = cause + " " + n.resultStatus() + " " + n.resultCode() + " while "
                    + attempt.state() + ": kept " + attempt.state();
            // noted once: the janitor's inquiry of an attempt still due (an automatic card whose capture Antom lists
            // as failed) finds the same each look, and would flag it again after an operator cleared it
            if (!ledger.noted(prid, "NOTIFICATION_CONFLICT", detail::equals)) {
                ledger.note(prid, "NOTIFICATION_CONFLICT", detail,
                        contradicts ? PaymentAttempt.CONFLICTING_RESULT + ": " + detail : null);
            }
            return new Applied(Outcome.CONFLICT, prid, detail);
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
        if (n.isCapture() && n.succeeded() && n.captureRequestId() != null) {
            // the capture that took the money is the one on record (a later one's failure, notified, is then stale)
            change.captureRequestId(n.captureRequestId());
        }
        becomingPaid(attempt, target, change);
        rematchAfter(attempt, ledger.apply(prid, change).attempt());
        return new Applied(mismatch != null ? Outcome.MISMATCH : Outcome.APPLIED, prid, cause);
    }

    /**
     * After {@code before} changed to {@code after}, in the same transaction: applies the notifications that waited
     * for it, once the ledger knows the attempt's paymentId or the payment's own result (see {@link #rematch}).
     */
    public void rematchAfter(PaymentAttempt before, PaymentAttempt after) {
        if (after.paymentId() != null && (before.paymentId() == null
                || (before.state().isOpen() && !after.state().isOpen()))) {
            rematch(after.paymentId());
        }
        if (before.state().isPaid() && after.state() == PaymentState.CANCELLED) {
            ownPaymentCancelled(after);
        }
    }

    /**
     * A paid payment of an order was cancelled (the order's own, by an expiry's cancel that raced the buyer, say): a
     * second payment the duplicate canceller left to an operator while that cancel could still reach Antom
     * ({@code DUPLICATE_NOT_GIVEN_BACK}) is queued to it again, in this transaction, and is then kept as the order's
     * own payment, its flags withdrawn (or given back, if the order has another paid payment still).
     */
    private void ownPaymentCancelled(PaymentAttempt cancelled) {
        for (PaymentAttempt other : ledger.attemptsOf(cancelled.orderId())) {
            if (other.state().isPaid() && other.flaggedWith(PaymentAttempt.DUPLICATE_NOT_GIVEN_BACK)) {
                outbox.append(new OutboxMessage(cancelDestination, other.orderId(), other.paymentRequestId()));
            }
        }
    }

    /**
     * Applies notifications kept UNMATCHED until the ledger could place them: one that arrived before the ledger knew
     * its paymentId (Antom can notify a card's capture before the payment's own answer is recorded), a capture before
     * its payment's result, and a refund this service never asked for (its payment is then flagged, as it would have
     * been on arrival). One still early stays UNMATCHED. Call inside the transaction that made the change. How many
     * were applied.
     */
    public int rematch(String paymentId) {
        int placed = 0;
        for (String body : inbox.unmatchedFor(paymentId)) {
            AntomResult early;
            try {
                early = AntomResult.from(json.readTree(body));
            } catch (Exception e) {
                continue;
            }
            if (early.kind() == null && !early.isRefund()) {
                continue;
            }
            Optional<PaymentAttempt> attempt = ledger.findByPaymentId(paymentId)
                    .flatMap(a -> ledger.lock(a.paymentRequestId()));
            if (attempt.isEmpty()) {
                continue;
            }
            if (early.isRefund()) {
                flagRefundNotOursLater(attempt.get(), early);
                continue;
            }
            Applied applied = apply(attempt.get(), early, early.notifyType() + "_EARLY");
            if (applied.outcome() != Outcome.UNMATCHED) {
                inbox.resolve(early.dedupeKey(), applied.outcome(), "matched later: " + applied.detail());
                placed++;
            }
        }
        return placed;
    }

    /** A notifyRefund for a refund not ours, kept until its payment was known: flags the payment as on arrival. */
    private void flagRefundNotOursLater(PaymentAttempt payment, AntomResult refund) {
        if (refund.refundSucceeded() && refundResults.refundOf(refund).isEmpty()) {
            refundResults.flagRefundNotOurs(payment, refund);
            inbox.resolve(refund.dedupeKey(), Outcome.UNMATCHED, RefundResults.NOT_OURS_FLAGGED);
        }
    }

    private static String amountMismatch(AntomResult n, PaymentAttempt attempt) {
        return !n.amountDiffersFrom(attempt.amountValue(), attempt.currency()) ? null
                : "notified " + n.amountValue() + " " + n.currency() + ", ordered "
                + attempt.amountValue() + " " + attempt.currency();
    }

    /**
     * What a change that makes {@code attempt} paid brings with it, for every way a payment becomes paid (a
     * notification, an inquiry, or Antom's direct answer to pay): a second payment of its order is flagged and
     * cancelled ({@link #flagIfSecondPayment}), and a payment its order's cancellation could not stop (the cancel
     * refused, a method without cancel, or unanswered; an attempt read open as the cancellation came) is the janitor's
     * again, which gives the money back (cancel, or refund in full) as for any paid attempt of a cancelled order: one
     * statement per payment, which changes nothing for an order never cancelled. Nothing for any other change.
     */
    public void becomingPaid(PaymentAttempt attempt, PaymentState target, Transition change) {
        if (!target.isPaid() || attempt.state().isPaid()) {
            return;
        }
        flagIfSecondPayment(attempt, change);
        cancellations.reopenFrom(attempt.orderId(), attempt.attemptNo());
    }

    /**
     * One order, one payment: when {@code change} makes {@code attempt} paid while another attempt of its order is
     * paid already, the change is flagged and asks for this attempt to be cancelled at Antom (the docs' advice; it
     * gives the buyer the money back). Call with the attempt's own row locked: the order's other attempts are locked
     * next, so of two attempts paid at the same moment in two transactions the second waits for the first to commit
     * and sees it paid. (Two attempts of one order both becoming paid at that moment, each with its own row locked,
     * can deadlock here: the database ends one, its write runs again and sees the other paid.)
     */
    private void flagIfSecondPayment(PaymentAttempt attempt, Transition change) {
        List<PaymentAttempt> paid = ledger.lockOtherAttempts(attempt).stream().filter(o -> o.state().isPaid()).toList();
        if (!paid.isEmpty()) {
            change.flag(PaymentAttempt.DUPLICATE_PAYMENT + ": order " + attempt.orderId() + " was already paid")
                    .emit(new OutboxMessage(cancelDestination, attempt.orderId(), attempt.paymentRequestId()));
            // paid after the order's own payment by its paidAt too, whatever the clock of the instance that paid it
            paid.stream().map(PaymentAttempt::paidAt).filter(Objects::nonNull).max(Comparator.naturalOrder())
                    .ifPresent(change::paidAfter);
        }
    }
}
