package com.checkoutroutes.results;

import com.alipay.global.api.model.ResultStatusType;
import com.alipay.global.api.request.ams.pay.AlipayPayCancelRequest;
import com.alipay.global.api.response.ams.pay.AlipayPayCancelResponse;
import com.checkoutroutes.gateway.AntomGateway;
import com.checkoutroutes.gateway.AntomSettings;
import com.checkoutroutes.gateway.CallOutcome;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.ledger.Refund;
import com.checkoutroutes.ledger.RefundLedger;
import com.checkoutroutes.results.PaymentInquiries.Inquiry;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Predicate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Cancels one attempt at Antom ({@code cancel}) and records the result: on an order's cancellation, a duplicate
 * payment, or the janitor closing an attempt past its expiry. A cancel that fails or stays unknown is noted and
 * flagged for an operator, except where the money is to go back anyway: {@link #cancelOrRefund} refunds a paid
 * attempt that cannot be cancelled (captured, past the method's cancel window, a method without cancel).
 */
@Component
public class AntomCancels {

    /** Who the refunds this service makes on its own (cancellations, duplicates) are requested by. */
    static final String REQUESTED_BY = "checkout-routes";

    private final PaymentLedger ledger;
    private final AntomGateway gateway;
    private final AttemptClosing closing;
    private final AntomRefunds refunds;
    private final RefundLedger refundLedger;
    private final PaymentInquiries inquiries;
    private final TransactionTemplate tx;
    private final Clock clock;
    /** How long a cancel's send may be on its way ({@link CaptureClaims#hold}). */
    private final Duration hold;

    AntomCancels(PaymentLedger ledger, AntomGateway gateway, AttemptClosing closing, AntomRefunds refunds,
            RefundLedger refundLedger, PaymentInquiries inquiries, TransactionTemplate tx, AntomSettings antom,
            Clock clock) {
        this.ledger = ledger;
        this.gateway = gateway;
        this.closing = closing;
        this.refunds = refunds;
        this.refundLedger = refundLedger;
        this.inquiries = inquiries;
        this.tx = tx;
        this.clock = clock;
        this.hold = CaptureClaims.hold(antom);
    }

    /** How a cancel ended. */
    private enum Cancel {
        /** the attempt is closed */
        DONE,
        /** Antom said no (F): final, nothing was cancelled */
        REFUSED,
        /** no answer: it may have been cancelled */
        UNKNOWN
    }

    /** How a cancel ended, and what Antom answered (or why there was no answer). */
    private record CancelAnswer(Cancel end, String detail) {
    }

    /**
     * Whether a cancel was ever sent for the attempt (an order's cancellation, a risk flag, an operator, its expiry):
     * whatever Antom answered, nothing may start its payment again.
     */
    public boolean wasAsked(PaymentAttempt attempt) {
        return ledger.cancelAsked(attempt.paymentRequestId());
    }

    /** The cause of the cancel the janitor sends for an attempt past its expiry. */
    public static final String EXPIRY_CANCEL = "EXPIRED_CANCELLED";

    /**
     * Whether a cancel was sent for the attempt for another reason than its expiry (an order's cancellation, a risk
     * flag, an operator, a second payment given back): one the janitor's expiry sent without an answer does not count.
     */
    public boolean wasAskedBesidesExpiry(PaymentAttempt attempt) {
        return ledger.cancelAskedBesides(attempt.paymentRequestId(), EXPIRY_CANCEL);
    }

    /**
     * The request key of the refund an order's cancellation makes: one per payment, whoever asked (ORDER_CANCELLED,
     * RISK_FLAGGED, an operator, the janitor), however often (a repeated cancellation refunds nothing more).
     */
    public static final String CANCELLATION_REFUND = "CANCELLATION";

    /**
     * An order's cancellation, for one of its attempts: a paid one is cancelled, or refunded in full where it can no
     * longer be cancelled ({@link #cancelOrRefund}, once: {@link #CANCELLATION_REFUND}); one still open is cancelled
     * at Antom. Empty for one with nothing to cancel (final, or never sent); else whether it was done.
     */
    public Optional<Boolean> cancelForOrder(PaymentAttempt attempt, String cause) {
        if (attempt.state().isPaid()) {
            return Optional.of(cancelOrRefund(attempt, cause, CANCELLATION_REFUND));
        }
        if (attempt.state().canMoveTo(PaymentState.CANCELLED) && attempt.state() != PaymentState.CREATED) {
            if (cancel(attempt, cause)) {
                return Optional.of(true);
            }
            // not done: read open, it may have been paid since (the buyer finished meanwhile, captured, or on a method
            // without cancel): then its money goes back as a paid one's would
            PaymentAttempt now = ledger.find(attempt.paymentRequestId()).orElse(attempt);
            return Optional.of(now.state().isPaid() && cancelOrRefund(now, cause, CANCELLATION_REFUND));
        }
        return Optional.empty();
    }

    /** Cancels the attempt; it ends CANCELLED. */
    public boolean cancel(PaymentAttempt attempt, String cause) {
        return cancel(attempt, cause, PaymentState.CANCELLED);
    }

    /** Cancels the attempt and closes it in {@code target} (EXPIRED when the janitor closes it late). */
    public boolean cancel(PaymentAttempt attempt, String cause, PaymentState target) {
        return askAndSend(attempt, cause, target).end() == Cancel.DONE;
    }

    /**
     * Gives the buyer's money back, or stops the attempt from taking it: a captured attempt is refunded in full (Antom
     * cancels nothing after capture), and so is one already partly refunded (a cancel would return the whole amount
     * again); any other is cancelled, and a paid one whose cancel Antom refuses (its window passed, a method without
     * cancel) is refunded in full instead. Which of the two is decided under the attempt's row lock, and a cancel of a
     * paid attempt is marked there for as long as it may be on its way: no refund of it is accepted meanwhile (a
     * cancel gives all of it back). A refusal or a cancel without an answer is judged on the payment as Antom then
     * lists it: one cancelled (by this cancel or an earlier one whose answer was lost) needs nothing, one captured
     * meanwhile is refunded, one still authorised is flagged, and so is a paid one not captured in the ledger when
     * Antom's list is not to be had (a refusal then does not prove that no cancel took it back: a refund could give
     * the money back twice). Refunds are stored once per {@code refundKey}. True when
     * the attempt is cancelled or Antom took its refund (now or before); a refund Antom refused or has not answered
     * yet is not done.
     */
    public boolean cancelOrRefund(PaymentAttempt attempt, String cause, String refundKey) {
        String prid = attempt.paymentRequestId();
        Claim claim = claim(attempt, cause);
        if (claim.refund()) {
            return taken(refunds.refundInFull(claim.attempt(), refundKey, cause, REQUESTED_BY));
        }
        CancelAnswer cancel = send(claim.attempt(), cause, PaymentState.CANCELLED, true);
        if (cancel.end() == Cancel.DONE) {
            return true;
        }
        // refused, or no answer: Antom's own list says whether the payment was cancelled (by this cancel, or by an
        // earlier one whose answer was lost; a refund would then give the money back a second time)
        Inquiry listed = inquiries.inquire(ledger.find(prid).orElse(attempt));
        PaymentAttempt now = ledger.find(prid).orElse(attempt);
        Optional<Boolean> listsCancel = listed.listsCancel();
        boolean cancelListed = listsCancel.orElse(false);
        // refused, and Antom lists no cancel. Without its list (no answer) a refusal proves nothing: a first try
        // that timed out may have cancelled the payment before a retry was refused
        boolean noCancel = cancel.end() == Cancel.REFUSED && listsCancel.equals(Optional.of(false));
        if (noCancel) {
            // nothing gives the money back. A cancel without an answer, or refused while Antom's list is unknown,
            // keeps its mark until it runs out: Antom may still carry it out
            ledger.releaseCancelClaim(prid, claim.until());
        }
        if (!now.state().isPaid()) {
            return now.state() == PaymentState.CANCELLED;
        }
        if (noCancel && now.state().isCaptured()) {
            // captured meanwhile (a shipment's capture, the guard's), or paid where no cancel may follow
            return taken(refunds.refundInFull(now, refundKey, cause + " (cancel refused)", REQUESTED_BY));
        }
        if (now.state() == PaymentState.CAPTURED && !cancelListed) {
            // no answer (or refused, Antom's list not to be had), and the capture is confirmed (an automatic card's,
            // not yet notified; a shipment's): the cancel, should it still arrive, cancels nothing after a capture, so
            // the money goes back by refund
            return taken(refunds.refundInFull(now, refundKey, cause + (cancel.end() == Cancel.REFUSED
                    ? " (captured, cancel refused)" : " (captured, cancel unanswered)"), REQUESTED_BY));
        }
        ledger.note(prid, "CANCEL_NOT_DONE", cancel.detail(), "CANCEL_NOT_DONE: " + cancel.detail());
        return false;
    }

    /** How a cancellation of a paid attempt goes, decided under its lock; {@code until}: the cancel's mark. */
    private record Claim(PaymentAttempt attempt, boolean refund, OffsetDateTime until) {
    }

    /**
     * Refund (captured, or partly refunded already), or cancel: then the cancel is recorded as asked for and marked as
     * on its way, in the transaction that read the refunds. A refund opened after it finds the mark; one opened before
     * it is among the refunds read. A capture requested since the attempt was read refuses it
     * ({@link CaptureOnItsWayException}); one requested after it finds the mark (CANCEL_IN_PROGRESS).
     */
    private Claim claim(PaymentAttempt attempt, String cause) {
        String prid = attempt.paymentRequestId();
        return tx.execute(status -> {
            PaymentAttempt locked = ledger.lock(prid).orElse(attempt);
            if (locked.state() == PaymentState.CAPTURE_REQUESTED) {
                // requested since it was read (callers settle a capture in progress first): the cancel would void it
                throw new CaptureOnItsWayException(prid);
            }
            boolean refunded = refundLedger.refundsOf(prid).stream().anyMatch(r -> r.state().holdsAmount());
            if (locked.state() == PaymentState.CAPTURED || (locked.state().isCaptured() && refunded)) {
                return new Claim(locked, true, null);
            }
            return new Claim(locked, false, asked(prid, cause));
        });
    }

    /**
     * Records the cancel as asked for and marks it as on its way until the returned instant (to the microsecond, as
     * the databases keep it, so that its own release finds it). An attempt still open when it is sent may be paid by
     * the time it arrives: its mark holds refunds off all the same.
     */
    private OffsetDateTime asked(String prid, String cause) {
        OffsetDateTime until = OffsetDateTime.now(clock).plus(hold).truncatedTo(ChronoUnit.MICROS);
        tx.executeWithoutResult(status -> {
            ledger.note(prid, PaymentLedger.CANCEL_REQUESTED, cause, null);
            ledger.claimCancelSend(prid, until);
        });
        return until;
    }

    private static boolean taken(Optional<Refund> refund) {
        return refund.filter(r -> r.state().isTakenByAntom()).isPresent();
    }

    /**
     * {@link #cancel} for an attempt read a while ago (the authorisation guard's page): asked for and sent only if it
     * is still as read (same version) when the cancel is recorded, under its row's lock; false, sending nothing, when
     * it moved (a capture requested since, which a cancel would void after the goods left).
     */
    public boolean cancelIfUnchanged(PaymentAttempt asRead, String cause) {
        return cancelIf(asRead, cause, PaymentState.CANCELLED,
                locked -> locked.version() == asRead.version() && locked.state() == asRead.state());
    }

    /**
     * {@link #cancel} for an attempt read before Antom was asked about it (the janitor's expiry): asked for and sent
     * only if it is still as read when the cancel is recorded, under its row's lock: in the same state, and no result
     * from Antom confirmed since (a PAYMENT_PENDING, the buyer paid and the method confirming, leaves it PENDING);
     * false, sending nothing, when it moved meanwhile (paid, by a notification that came while the inquiry was on its
     * way: a cancel would give the buyer's money back). Not the version: other writes of the row move it.
     * {@code unconfirmedSince} false: the state alone (a cancel wanted whether or not the buyer paid).
     */
    public boolean cancelIfStill(PaymentAttempt asRead, String cause, PaymentState target,
            boolean unconfirmedSince) {
        return cancelIf(asRead, cause, target, locked -> locked.state() == asRead.state()
                && (!unconfirmedSince || sameInstant(locked.confirmedAt(), asRead.confirmedAt())));
    }

    private static boolean sameInstant(OffsetDateTime a, OffsetDateTime b) {
        return a == null ? b == null : b != null && a.isEqual(b);
    }

    private boolean cancelIf(PaymentAttempt asRead, String cause, PaymentState target,
            Predicate<PaymentAttempt> stillAsRead) {
        String prid = asRead.paymentRequestId();
        OffsetDateTime until = tx.execute(status -> ledger.lock(prid).filter(stillAsRead)
                .map(locked -> asked(prid, cause)).orElse(null));
        return until != null && sendAsked(asRead, cause, target, until).end() == Cancel.DONE;
    }

    private CancelAnswer askAndSend(PaymentAttempt attempt, String cause, PaymentState target) {
        return sendAsked(attempt, cause, target, asked(attempt.paymentRequestId(), cause));
    }

    private CancelAnswer sendAsked(PaymentAttempt attempt, String cause, PaymentState target, OffsetDateTime until) {
        CancelAnswer answer = send(attempt, cause, target, false);
        if (answer.end() == Cancel.REFUSED) {
            // Antom's F is final: this cancel gives nothing back
            ledger.releaseCancelClaim(attempt.paymentRequestId(), until);
        }
        return answer;
    }

    /**
     * Sends the cancel (asked for in the ledger already) and applies an S; {@code callerJudges}: a refusal or no
     * answer is only noted, the caller decides what it means, else either flags the attempt CANCEL_NOT_DONE.
     */
    private CancelAnswer send(PaymentAttempt attempt, String cause, PaymentState target, boolean callerJudges) {
        String prid = attempt.paymentRequestId();
        AlipayPayCancelRequest request = new AlipayPayCancelRequest();
        request.setPaymentRequestId(prid);
        request.setPaymentId(attempt.paymentId());
        CallOutcome<AlipayPayCancelResponse> outcome = gateway.call("cancel", prid, request);
        if (outcome instanceof CallOutcome.Answered<AlipayPayCancelResponse> answered
                && answered.status() == ResultStatusType.S) {
            closing.cancelledAtAntom(prid, target, cause, answered.code(), answered.message(),
                    "cancelled at Antom " + answered.response().getCancelTime());
            return new CancelAnswer(Cancel.DONE, null);
        }
        if (attempt.state().isOpen() && outcome instanceof CallOutcome.Answered<?> closed
                && ("ORDER_IS_CLOSED".equals(closed.code())
                        || (target == PaymentState.EXPIRED && "ORDER_NOT_EXIST".equals(closed.code())))) {
            // an open attempt Antom had already closed (its own timeout, before the janitor's expiry): nothing can be
            // paid, nothing for an operator to do. Or, past its expiry, never created (a pay that never reached it):
            // before its expiry a pay still on its way may land after the cancel, so that one stays open, flagged
            // below, for the janitor. A paid one answered either way is flagged below too
            boolean closedNow = closing.close(prid, attempt.state(), target, cause, closed.code(), closed.message(),
                    null, null);
            return new CancelAnswer(closedNow ? Cancel.DONE : Cancel.UNKNOWN, "moved on meanwhile");
        }
        boolean refused = outcome instanceof CallOutcome.Answered<AlipayPayCancelResponse> answered
                && answered.status() == ResultStatusType.F;
        String detail = outcome instanceof CallOutcome.Answered<?> answer ? answer.code() + " " + answer.message()
                : ((CallOutcome.Unknown<?>) outcome).reason();
        if (callerJudges) {
            ledger.note(prid, refused ? "CANCEL_REFUSED" : "CANCEL_RESULT_UNKNOWN", detail, null);
        } else {
            ledger.note(prid, "CANCEL_NOT_DONE", detail, "CANCEL_NOT_DONE: " + detail);
        }
        return new CancelAnswer(refused ? Cancel.REFUSED : Cancel.UNKNOWN, detail);
    }
}
