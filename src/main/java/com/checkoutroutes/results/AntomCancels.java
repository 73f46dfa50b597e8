package com.checkoutroutes.results;

import com.alipay.global.api.model.ResultStatusType;
import com.alipay.global.api.request.ams.pay.AlipayPayCancelRequest;
import com.alipay.global.api.response.ams.pay.AlipayPayCancelResponse;
import com.checkoutroutes.gateway.AntomGateway;
import com.checkoutroutes.gateway.CallOutcome;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import com.checkoutroutes.ledger.Refund;
import com.checkoutroutes.ledger.RefundLedger;
import java.util.Optional;
import org.springframework.stereotype.Component;

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

    AntomCancels(PaymentLedger ledger, AntomGateway gateway, AttemptClosing closing, AntomRefunds refunds,
            RefundLedger refundLedger) {
        this.ledger = ledger;
        this.gateway = gateway;
        this.closing = closing;
        this.refunds = refunds;
        this.refundLedger = refundLedger;
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

    private static final String CANCEL_REQUESTED = "CANCEL_REQUESTED";

    /**
     * Whether a cancel was ever sent for the attempt (an order's cancellation, a risk flag, an operator, its expiry):
     * whatever Antom answered, nothing may start its payment again.
     */
    public boolean wasAsked(PaymentAttempt attempt) {
        return ledger.history(attempt.paymentRequestId()).stream()
                .anyMatch(change -> CANCEL_REQUESTED.equals(change.cause()));
    }

    /** Cancels the attempt; it ends CANCELLED. */
    public boolean cancel(PaymentAttempt attempt, String cause) {
        return cancel(attempt, cause, PaymentState.CANCELLED);
    }

    /** Cancels the attempt and closes it in {@code target} (EXPIRED when the janitor closes it late). */
    public boolean cancel(PaymentAttempt attempt, String cause, PaymentState target) {
        return cancel(attempt, cause, target, true).end() == Cancel.DONE;
    }

    /**
     * Gives the buyer's money back, or stops the attempt from taking it: a captured attempt is refunded in full (Antom
     * cancels nothing after capture), and so is one already partly refunded (a cancel would return the whole amount
     * again); any other is cancelled, and a paid one whose cancel Antom refuses (its window passed, a method without
     * cancel) is refunded in full instead. A refusal is judged on the payment as it is then, not as it was read: one
     * captured meanwhile is refunded, one cancelled meanwhile needs nothing, one still authorised is flagged. Refunds
     * are stored once per {@code refundKey}. True when the attempt is cancelled or Antom took its refund (now or
     * before); a refund Antom refused or has not answered yet is not done.
     */
    public boolean cancelOrRefund(PaymentAttempt attempt, String cause, String refundKey) {
        boolean refunded = refundLedger.refundsOf(attempt.paymentRequestId()).stream()
                .anyMatch(r -> r.state().holdsAmount());
        if (attempt.state() == PaymentState.CAPTURED || (attempt.state().isCaptured() && refunded)) {
            return taken(refunds.refundInFull(attempt, refundKey, cause, REQUESTED_BY));
        }
        CancelAnswer cancel = cancel(attempt, cause, PaymentState.CANCELLED, false);
        if (cancel.end() != Cancel.REFUSED) {
            return cancel.end() == Cancel.DONE;
        }
        // refused: the payment may have moved since it was read. Captured meanwhile (a shipment's capture, the
        // guard's): refunded, as a captured one is. Cancelled meanwhile (the route's give-back beside an operator's):
        // nothing to refund
        PaymentAttempt now = ledger.find(attempt.paymentRequestId()).orElse(attempt);
        if (now.state().isCaptured()) {
            return taken(refunds.refundInFull(now, refundKey, cause + " (cancel refused)", REQUESTED_BY));
        }
        if (!now.state().isPaid()) {
            return now.state() == PaymentState.CANCELLED;
        }
        ledger.note(attempt.paymentRequestId(), "CANCEL_NOT_DONE", cancel.detail(),
                "CANCEL_NOT_DONE: " + cancel.detail());
        return false;
    }

    private static boolean taken(Optional<Refund> refund) {
        return refund.filter(r -> r.state().isTakenByAntom()).isPresent();
    }

    /** {@code flagRefusal} false: a refusal is only noted, the caller deals with it. */
    private CancelAnswer cancel(PaymentAttempt attempt, String cause, PaymentState target, boolean flagRefusal) {
        String prid = attempt.paymentRequestId();
        ledger.note(prid, CANCEL_REQUESTED, cause, null);
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
        if (target == PaymentState.EXPIRED && outcome instanceof CallOutcome.Answered<?> closed
                && ("ORDER_IS_CLOSED".equals(closed.code()) || "ORDER_NOT_EXIST".equals(closed.code()))) {
            // Antom had already closed it, or never created it (a pay that never reached it): nothing can be paid
            boolean closedNow = closing.close(prid, attempt.state(), target, cause, closed.code(), closed.message(),
                    null, null);
            return new CancelAnswer(closedNow ? Cancel.DONE : Cancel.UNKNOWN, "moved on meanwhile");
        }
        boolean refused = outcome instanceof CallOutcome.Answered<AlipayPayCancelResponse> answered
                && answered.status() == ResultStatusType.F;
        String detail = outcome instanceof CallOutcome.Answered<?> answer ? answer.code() + " " + answer.message()
                : ((CallOutcome.Unknown<?>) outcome).reason();
        if (refused && !flagRefusal) {
            ledger.note(prid, "CANCEL_REFUSED", detail, null);
        } else {
            ledger.note(prid, "CANCEL_NOT_DONE", detail, "CANCEL_NOT_DONE: " + detail);
        }
        return new CancelAnswer(refused ? Cancel.REFUSED : Cancel.UNKNOWN, detail);
    }
}
