package com.checkoutroutes.reconciliation;

import com.checkoutroutes.ledger.OrderCancellations;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentAttempt.Integration;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.ledger.Refund;
import com.checkoutroutes.ledger.RefundLedger;
import com.checkoutroutes.ledger.RefundState;
import com.checkoutroutes.results.AntomCancels;
import com.checkoutroutes.results.AntomCaptures;
import com.checkoutroutes.results.AntomRefunds;
import com.checkoutroutes.results.CaptureClaims;
import com.checkoutroutes.results.RefundInquiries;
import com.checkoutroutes.results.PaymentInquiries.Inquiry;
import com.checkoutroutes.results.PaymentInquiries;
import com.checkoutroutes.results.PaymentResender;
import com.checkoutroutes.results.UnmatchedNotifications;
import com.checkoutroutes.scheduling.JobRuns.Report;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The janitor: resolves attempts left requested, pending, unknown or capture-requested by asking Antom
 * ({@code inquiryPayment}, {@link PaymentInquiries}) on a backoff schedule (which attempts are due is the janitor
 * route's {@code sql:} selection, routes/schedules.yaml); the answer is applied exactly as a
 * notification would be. Past its expiry (plus a grace period) an attempt still processing is cancelled at Antom and
 * closed, so a late payment cannot succeed unseen. A capture Antom does not list is sent again (its stored
 * captureRequestId, {@link AntomCaptures}; a cancelled order's is given up instead, and its authorisation cancelled),
 * and so is a payment left UNKNOWN (or still REQUESTED) that Antom does
 * not have, or has processing without the buyer ever getting its continuation ({@link PaymentResender}). Refunds
 * left requested, unknown or accepted are asked about the same way ({@code inquiryRefund}, {@link RefundInquiries});
 * one Antom never received is sent again, the identical request. Notifications the ledger could not place on arrival
 * and can now are applied ({@link UnmatchedNotifications}).
 */
@Component
public class Janitor {

    private static final Logger LOG = LoggerFactory.getLogger(Janitor.class);

    private final PaymentLedger ledger;
    private final PaymentInquiries inquiries;
    private final AntomCancels cancels;
    private final AntomCaptures captures;
    private final RefundLedger refunds;
    private final RefundInquiries refundInquiries;
    private final AntomRefunds antomRefunds;
    private final PaymentResender payments;
    private final JanitorSettings settings;
    private final Clock clock;
    private final ConcurrentLooks checks;
    private final CaptureClaims claims;
    private final UnmatchedNotifications unmatched;
    private final OrderCancellations cancellations;
    /**
     * How far back the order system's cancellations are looked at for an attempt stored as they came: that race is
     * over within a commit, so a day covers the janitor stopping for hours. One whose attempt then waits for Antom's
     * answer is held ({@link OrderCancellations#holdWaiting}), and one its event left to the janitor reopened: both are
     * looked at until settled, whenever they came.
     */
    static final java.time.Duration CANCELLATIONS_LOOKED_AT = java.time.Duration.ofDays(1);

    public Janitor(PaymentLedger ledger, PaymentInquiries inquiries, AntomCancels cancels, AntomCaptures captures,
            RefundLedger refunds, RefundInquiries refundInquiries, AntomRefunds antomRefunds, PaymentResender payments,
            CaptureClaims claims, UnmatchedNotifications unmatched, JanitorSettings settings, Clock clock,
            OrderCancellations cancellations) {
        this.cancellations = cancellations;
        this.claims = claims;
        this.unmatched = unmatched;
        this.payments = payments;
        this.ledger = ledger;
        this.inquiries = inquiries;
        this.cancels = cancels;
        this.captures = captures;
        this.refunds = refunds;
        this.refundInquiries = refundInquiries;
        this.antomRefunds = antomRefunds;
        this.settings = settings;
        this.clock = clock;
        this.checks = new ConcurrentLooks("janitor-look-", settings.concurrency(), settings.maxLooksPerSecond());
    }

    @PreDestroy
    void stop() {
        checks.close();
    }

    /**
     * Looks at the attempts the janitor's route selected (its {@code sql:} endpoint in routes/schedules.yaml: due for
     * a check, longest due first, at most {@code checkout.janitor.batch-size}), then at the refunds due, up to
     * {@code checkout.janitor.concurrency} at once: each look mostly waits for Antom. Each attempt is read again from
     * the ledger first: one that moved since the selection is skipped. The report lists the changes in that order.
     */
    public Report run(List<Map<String, Object>> selected) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        List<Callable<Look>> looks = new ArrayList<>();
        for (Map<String, Object> row : selected) {
            String paymentRequestId = String.valueOf(row.get("payment_request_id"));
            looks.add(() -> lookAt(paymentRequestId, now));
        }
        for (Refund refund : refunds.dueForCheck(now, settings.batchSize())) {
            looks.add(() -> lookAt(refund, now));
        }
        for (String paymentId : unmatched.placeable(now, settings.batchSize())) {
            looks.add(() -> place(paymentId));
        }
        cancellations.holdWaiting(now.minus(CANCELLATIONS_LOOKED_AT));
        for (OrderCancellations.Due due : cancellations.due(now.minus(CANCELLATIONS_LOOKED_AT), settings.batchSize())) {
            looks.add(() -> cancelStoredMeanwhile(due));
        }
        List<Look> done = checks.runAll(looks);
        List<String> changes = done.stream().map(Look::change).filter(Objects::nonNull).toList();
        return new Report((int) done.stream().filter(Look::looked).count(), changes.size(), String.join(", ", changes));
    }

    /** A payment's notifications the ledger could not place on arrival and can now. */
    private Look place(String paymentId) {
        try {
            int placed = unmatched.place(paymentId);
            return placed == 0 ? Look.UNCHANGED : new Look(true, paymentId + ":" + placed + " notification(s) placed");
        } catch (RuntimeException e) {
            // a lock timeout, the database gone: the next round tries again; the others' looks stand
            LOG.warn("janitor could not place the notifications of {}: {}", paymentId, e.toString());
            return Look.UNCHANGED;
        }
    }

    /**
     * An order the order system cancelled whose attempt was stored at the same moment, each write missing the other,
     * or whose attempt its event left open (a capture in progress, a pay whose answer had not come): cancelled (or
     * given back) by the cancellation's rule, once Antom has answered its pay (a cancel racing a pay on its way, or
     * one whose answer was lost, may miss the payment: the janitor's own checks settle an unknown one first) and no
     * capture is on its way (the janitor gives a cancelled order's capture up, never sends it again).
     */
    private Look cancelStoredMeanwhile(OrderCancellations.Due due) {
        try {
            List<PaymentAttempt> later = ledger.attemptsOf(due.orderId()).stream()
                    .filter(a -> a.attemptNo() > due.settledThrough()).toList();
            if (later.stream().anyMatch(a -> a.state().awaitsAntom())) {
                return Look.SKIPPED;
            }
            List<String> done = new ArrayList<>();
            for (PaymentAttempt attempt : later) {
                cancels.cancelForOrder(attempt, due.cause()).ifPresent(cancelled -> done.add(
                        attempt.paymentRequestId() + (cancelled ? ":cancelled" : ":not cancelled")));
            }
            cancellations.settledThrough(due,
                    later.stream().mapToInt(PaymentAttempt::attemptNo).max().orElse(due.settledThrough()));
            LOG.info("order {} was cancelled ({}); carried out on the attempts its event left open: {}", due.orderId(),
                    due.cause(), done);
            return done.isEmpty() ? Look.UNCHANGED
                    : new Look(true, due.orderId() + " " + due.cause() + ": " + String.join(", ", done));
        } catch (RuntimeException e) {
            // a lock timeout, the database gone: the next round tries again
            LOG.warn("janitor could not cancel the payment of cancelled order {}: {}", due.orderId(), e.toString());
            return Look.UNCHANGED;
        }
    }

    /** What one look did: skipped (not looked), looked without a change, or changed ({@code change} says how). */
    private record Look(boolean looked, String change) {
        static final Look SKIPPED = new Look(false, null);
        static final Look UNCHANGED = new Look(true, null);
    }

    private Look lookAt(String paymentRequestId, OffsetDateTime now) {
        Optional<PaymentAttempt> current = ledger.find(paymentRequestId)
                .filter(a -> a.state().isDueForCheck(a.captureMode()));
        if (current.isEmpty()) {
            return Look.SKIPPED;
        }
        PaymentAttempt attempt = current.get();
        if (attempt.nextCheckAt() == null) {
            OffsetDateTime first = attempt.updatedAt().plus(settings.after(attempt.state()));
            if (first.isAfter(now) && !expired(attempt, now)) {
                ledger.scheduleCheck(attempt, first, false);
                return Look.SKIPPED;
            }
        }
        try {
            return check(attempt, now).map(to -> new Look(true, paymentRequestId + ":" + attempt.state() + "->" + to))
                    .orElse(Look.UNCHANGED);
        } catch (RuntimeException e) {
            LOG.warn("janitor could not resolve {}: {}", paymentRequestId, e.toString());
            lookAgain(attempt, now);
            return Look.UNCHANGED;
        }
    }

    private Look lookAt(Refund refund, OffsetDateTime now) {
        if (refund.nextCheckAt() == null) {
            OffsetDateTime first = refund.updatedAt().plus(settings.firstCheck().of(refund.state().firstCheck()));
            if (first.isAfter(now)) {
                refunds.scheduleCheck(refund, first, false);
                return Look.SKIPPED;
            }
        }
        try {
            return check(refund, now)
                    .map(to -> new Look(true, refund.refundRequestId() + ":" + refund.state() + "->" + to))
                    .orElse(Look.UNCHANGED);
        } catch (RuntimeException e) {
            LOG.warn("janitor could not resolve refund {}: {}", refund.refundRequestId(), e.toString());
            refunds.scheduleCheck(refund, now.plus(settings.delayAfter(refund.checkCount())), true);
            return Look.UNCHANGED;
        }
    }

    /** Asks Antom about one refund; one it never received is sent again. Returns its new state when it changed. */
    Optional<RefundState> check(Refund refund, OffsetDateTime now) {
        RefundInquiries.Inquiry inquiry = refundInquiries.inquire(refund);
        if (inquiry instanceof RefundInquiries.Inquiry.Answered answered && answered.changedTo().isPresent()) {
            return answered.changedTo();
        }
        if (inquiry instanceof RefundInquiries.Inquiry.NotFound) {
            Optional<RefundState> after = neverReceived(refund);
            if (after.isPresent()) {
                return after;
            }
        }
        refunds.scheduleCheck(refund, now.plus(settings.delayAfter(refund.checkCount())), true);
        return Optional.empty();
    }

    /**
     * A refund Antom does not have: sent again, the same refundRequestId; or, when a dispute came before Antom had it
     * (never accepted, no refundId), not sent but failed once no send may be on its way. Its new state when it changed.
     */
    private Optional<RefundState> neverReceived(Refund refund) {
        if (refunds.withheldWhileDisputed(refund)) {
            return antomRefunds.withholdWhileDisputed(refund).map(Refund::state);
        }
        // claimed under its payment's lock: a dispute landing since the check above is seen there, not after the send
        Optional<Refund> claimed = refunds.claimResend(refund, "Antom has no such refund: sent again");
        if (claimed.isEmpty()) {
            return Optional.empty(); // moved on meanwhile, or now withheld: looked at again on its backoff
        }
        Refund after = antomRefunds.send(claimed.get());
        return after.state() != refund.state() ? Optional.of(after.state()) : Optional.empty();
    }

    /** Asks Antom about one attempt; returns its new state when it changed. */
    Optional<PaymentState> check(PaymentAttempt attempt, OffsetDateTime now) {
        Inquiry inquiry = inquiries.inquire(attempt);
        if (inquiry instanceof Inquiry.Answered answered && answered.changedTo().isPresent()) {
            return answered.changedTo();
        }
        if (inquiry instanceof Inquiry.CaptureNotFound && cancellations.cancelled(attempt.orderId())) {
            // its order was cancelled while the capture was in progress: never sent again, given up once no send may
            // be on its way, and the cancellation (cancelStoredMeanwhile) cancels the authorisation
            Optional<PaymentState> givenUp = claims.giveUpFor(attempt, "its order cancelled")
                    .map(PaymentAttempt::state);
            if (givenUp.isEmpty()) {
                // a send may still be on its way: asked again later, on the attempt's backoff
                lookAgain(attempt, now);
            }
            return givenUp;
        }
        if (inquiry instanceof Inquiry.CaptureNotFound && claims.toSend(attempt)) {
            // marked first: a cancellation gives the capture up (CAPTURE_OVERTAKEN) only while no send is on its way
            ledger.note(attempt.paymentRequestId(), "CAPTURE_RESENT", "Antom lists no capture: sent again", null);
            PaymentState after = captures.send(attempt);
            if (after != attempt.state()) {
                return Optional.of(after);
            }
        }
        if (inquiry instanceof Inquiry.NotFound && expired(attempt, now) && attempt.paymentId() == null) {
            // Antom never created it and its time is over: nothing can be paid any more. One Antom gave a paymentId
            // has a buyer with its link: its expiry's cancel closes it at Antom first (below; ORDER_NOT_EXIST then
            // closes it all the same)
            return inquiries.closeAsRead(attempt, PaymentState.EXPIRED, "NOT_FOUND_AT_ANTOM");
        }
        Optional<String> resendBecause = resendBecause(inquiry, attempt);
        if (resendBecause.isPresent() && attempt.state().isResultUnknown() && ledger.maySendAgain(attempt)) {
            // its pay's answer never came (unknown, or the process stopped: still requested a minute on,
            // first-check.requested), and either the pay never reached Antom or its answer, the buyer's continuation,
            // was lost: sent again, the same request, and the buyer's channel gets the continuation it was missing;
            // never once its time is over
            PaymentState after = payments.resend(attempt, resendBecause.get());
            if (cancels.wasAsked(attempt)) {
                // the order was cancelled while the pay was on its way: the payment it may have made is cancelled too
                after = cancelAfterResend(attempt).orElse(after);
            }
            if (after != attempt.state()) {
                return Optional.of(after);
            }
        }
        // a buyer who paid in time (Antom has it PENDING, the method's confirmation under way) keeps the payment: a
        // cancel now would give the money back and tell the order system it expired. Not when a cancel was asked for
        // it otherwise (its order cancelled while it was on its way): then the expiry's cancel gives the money back, as
        // asked. An expiry cancel of its own sent earlier without an answer (Antom unreachable then) does not count
        boolean cancelWanted = expired(attempt, now) && cancels.wasAskedBesidesExpiry(attempt);
        boolean buyerPaid = inquiry instanceof Inquiry.Answered answered && answered.buyerPaid() && !cancelWanted;
        // nor before Antom has said how the payment stands: one it could not be asked about may be paid (PENDING), and
        // a cancel that reaches it would give the money back all the same
        if (expired(attempt, now) && attempt.state() != PaymentState.CAPTURE_REQUESTED && !buyerPaid
                && !(inquiry instanceof Inquiry.NoAnswer)) {
            return expire(attempt, cancelWanted);
        }
        lookAgain(attempt, now);
        return Optional.empty();
    }

    /**
     * Past expiry: cancel at Antom, so a payment made now would be refused, and close the attempt. Also one without a
     * paymentId (its pay answer was lost): Antom may hold it all the same, and is asked by paymentRequestId.
     */
    private Optional<PaymentState> expire(PaymentAttempt attempt, boolean cancelWanted) {
        // only if still as read before the inquiry: a notification may have recorded the buyer's payment meanwhile.
        // One whose cancel was asked for otherwise is cancelled whether or not the buyer paid: only its state counts
        // (the inquiry's own PENDING confirms it every round)
        if (cancels.cancelIfStill(attempt, AntomCancels.EXPIRY_CANCEL, PaymentState.EXPIRED, !cancelWanted)) {
            return Optional.of(PaymentState.EXPIRED);
        }
        lookAgain(attempt, OffsetDateTime.now(clock));
        return Optional.empty();
    }

    /** Why an attempt whose pay went unanswered is sent again after this inquiry; empty: it is not. */
    private static Optional<String> resendBecause(Inquiry inquiry, PaymentAttempt attempt) {
        if (inquiry instanceof Inquiry.NotFound) {
            return Optional.of("Antom has no such payment: sent again");
        }
        if (inquiry instanceof Inquiry.ProcessingUnanswered && attempt.integration() != Integration.SDK) {
            // pay only: Antom's docs give a repeated pay its first answer; a repeated createPaymentSession, not said
            return Optional.of("Antom has it processing, its answer never recorded: sent again for the continuation");
        }
        return Optional.empty();
    }

    /** Cancels at Antom what a pay sent again made, if it is still open; its state then, empty if it was not. */
    private Optional<PaymentState> cancelAfterResend(PaymentAttempt attempt) {
        Optional<PaymentAttempt> now = ledger.find(attempt.paymentRequestId()).filter(a -> a.state().isOpen());
        return now.filter(open -> cancels.cancel(open, "CANCELLED_DURING_RESEND")).map(a -> PaymentState.CANCELLED);
    }

    /**
     * The next look at an attempt this one left as it was: on the backoff, but no later than its expiry's cancel is
     * due (a 14-minute payment was cancelled on the backoff's 21st minute, not its 16th); none if it changed state
     * meanwhile, which scheduled its own.
     */
    private void lookAgain(PaymentAttempt attempt, OffsetDateTime now) {
        OffsetDateTime next = now.plus(settings.delayAfter(attempt.checkCount()));
        OffsetDateTime expiresLate = expiresLate(attempt);
        if (expiresLate != null) {
            OffsetDateTime expiryDue = expiresLate.plusSeconds(1);
            if (expiryDue.isAfter(now) && expiryDue.isBefore(next)) {
                next = expiryDue;
            }
        }
        ledger.scheduleCheck(attempt, next, true);
    }

    /** Only attempts still waiting for the buyer or for Antom expire; a paid one never does. */
    private boolean expired(PaymentAttempt attempt, OffsetDateTime now) {
        OffsetDateTime expiresLate = expiresLate(attempt);
        return expiresLate != null && now.isAfter(expiresLate);
    }

    /** After when an open attempt is closed as expired (its expiry and the grace); null for one that never is. */
    private OffsetDateTime expiresLate(PaymentAttempt attempt) {
        return attempt.state().isOpen() && attempt.expiresAt() != null
                ? attempt.expiresAt().plus(settings.expiryGrace()) : null;
    }
}
