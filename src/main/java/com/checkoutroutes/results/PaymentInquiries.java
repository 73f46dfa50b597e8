package com.checkoutroutes.results;

import com.alipay.global.api.model.ResultStatusType;
import com.alipay.global.api.model.ams.Amount;
import com.alipay.global.api.model.ams.Transaction;
import com.alipay.global.api.model.ams.TransactionStatusType;
import com.alipay.global.api.model.ams.TransactionType;
import com.alipay.global.api.request.ams.pay.AlipayPayQueryRequest;
import com.alipay.global.api.response.ams.pay.AlipayPayQueryResponse;
import com.checkoutroutes.gateway.AntomGateway;
import com.checkoutroutes.gateway.CallOutcome;
import com.checkoutroutes.ledger.PaymentAttempt;
import com.checkoutroutes.ledger.PaymentLedger;
import com.checkoutroutes.ledger.PaymentState;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Asks Antom about one attempt ({@code inquiryPayment}) and applies the answer exactly as the notification would
 * have been applied ({@link ResultApplier}). Used by the janitor and by the pre-shipment check.
 */
@Component
public class PaymentInquiries {

    private final PaymentLedger ledger;
    private final AntomGateway gateway;
    private final ResultApplier results;
    private final AttemptClosing closing;
    private final TransactionTemplate tx;
    private final RefundResults refundResults;

    PaymentInquiries(PaymentLedger ledger, AntomGateway gateway, ResultApplier results, AttemptClosing closing,
            TransactionTemplate tx, RefundResults refundResults) {
        this.refundResults = refundResults;
        this.ledger = ledger;
        this.gateway = gateway;
        this.results = results;
        this.closing = closing;
        this.tx = tx;
    }

    /** What one inquiry found. */
    public sealed interface Inquiry {

        /**
         * Whether Antom's list of the payment's transactions shows a cancel, done or under way; empty when the list was
         * not read (no answer, no such payment).
         */
        default Optional<Boolean> listsCancel() {
            return Optional.empty();
        }

        /**
         * Antom answered with the payment's status; {@code changedTo} is the attempt's new state, if it moved;
         * {@code cancelListed}: Antom lists a cancel of the payment, done or under way; {@code buyerPaid}: Antom has it
         * PENDING, the buyer paid and the method has not confirmed yet (the payment no longer expires).
         */
        record Answered(Optional<PaymentState> changedTo, boolean cancelListed, boolean buyerPaid) implements Inquiry {
            public Answered(Optional<PaymentState> changedTo) {
                this(changedTo, false, false);
            }

            public Answered(Optional<PaymentState> changedTo, boolean cancelListed) {
                this(changedTo, cancelListed, false);
            }

            @Override
            public Optional<Boolean> listsCancel() {
                return Optional.of(cancelListed);
            }
        }

        /** Antom has no such payment. */
        record NotFound() implements Inquiry {
        }

        /**
         * The attempt is CAPTURE_REQUESTED, and Antom has the payment authorised with no capture listed: the stored
         * capture never reached Antom, and can be sent again (the same captureRequestId).
         */
        record CaptureNotFound() implements Inquiry {
        }

        /**
         * Antom has the payment, still processing (waiting for the buyer, or its card's 3DS), but the attempt never
         * recorded pay's answer (REQUESTED or UNKNOWN): the buyer's channel has no continuation, which only that answer
         * carries. The stored request sent again gets it (the same paymentRequestId: Antom's advice for an unknown
         * result).
         */
        record ProcessingUnanswered() implements Inquiry {
        }

        /**
         * Antom could not be asked, or its answer says nothing yet: a capture under way, whose answer lists the
         * payment's transactions all the same ({@code listsCancel}).
         */
        record NoAnswer(Optional<Boolean> listsCancel) implements Inquiry {
            public NoAnswer() {
                this(Optional.empty());
            }
        }
    }

    public Inquiry inquire(PaymentAttempt attempt) {
        String prid = attempt.paymentRequestId();
        AlipayPayQueryRequest request = new AlipayPayQueryRequest();
        request.setPaymentRequestId(prid);
        request.setPaymentId(attempt.paymentId());
        CallOutcome<AlipayPayQueryResponse> outcome = gateway.call("inquiryPayment", prid, request);
        if (outcome instanceof CallOutcome.Answered<AlipayPayQueryResponse> answered
                && answered.status() == ResultStatusType.S && answered.response().getPaymentStatus() != null) {
            AlipayPayQueryResponse response = answered.response();
            flagRefundsNotOurs(attempt, response);
            Optional<Transaction> capture = capture(attempt, response);
            if (attempt.state() == PaymentState.CAPTURE_REQUESTED
                    && response.getPaymentStatus() == TransactionStatusType.SUCCESS && capture.isEmpty()) {
                return new Inquiry.CaptureNotFound();
            }
            if (capture.isPresent() && capture.get().getTransactionStatus() == TransactionStatusType.PROCESSING
                    && attempt.state().isPaid()) {
                // a capture under way: its result is not known yet
                return new Inquiry.NoAnswer(Optional.of(cancelListed(response)));
            }
            if (attempt.state().isResultUnknown() && response.getPaymentStatus() == TransactionStatusType.PROCESSING) {
                return new Inquiry.ProcessingUnanswered();
            }
            return new Inquiry.Answered(apply(attempt, response, capture), cancelListed(response),
                    response.getPaymentStatus() == TransactionStatusType.PENDING);
        }
        if (outcome instanceof CallOutcome.Answered<AlipayPayQueryResponse> answered
                && "ORDER_NOT_EXIST".equals(answered.code())) {
            return new Inquiry.NotFound();
        }
        return new Inquiry.NoAnswer();
    }

    /**
     * A capture in progress as Antom has it: the attempt afterwards, and whether Antom has the payment authorised with
     * no such capture (it never reached Antom: the janitor would send it again).
     */
    public record CaptureCheck(PaymentAttempt attempt, boolean notAtAntom) {
        /** Whether the capture may still take the money: still requested, and Antom could not say. */
        public boolean inProgress() {
            return attempt.state() == PaymentState.CAPTURE_REQUESTED && !notAtAntom;
        }
    }

    /**
     * A capture in progress is asked about now, so that what must know whether the money was taken (a cancellation, a
     * return) need not be refused while Antom already has the answer (the capture's own answer or notification was
     * lost or is late). Any other attempt is returned as it is.
     */
    public CaptureCheck settleCapture(PaymentAttempt attempt) {
        if (attempt.state() != PaymentState.CAPTURE_REQUESTED) {
            return new CaptureCheck(attempt, false);
        }
        boolean notAtAntom = inquire(attempt) instanceof Inquiry.CaptureNotFound;
        return new CaptureCheck(ledger.find(attempt.paymentRequestId()).orElse(attempt), notAtAntom);
    }

    /** What confirming a payment with Antom found. */
    public enum Confirmation {
        /** Antom answered; what it said is in the ledger now. */
        CONFIRMED,
        /** Antom has the payment as the ledger does, and lists a cancel of it done or under way: money going back. */
        CANCEL_LISTED,
        /** Antom could not be asked, or its answer says nothing yet. */
        NOT_ANSWERED
    }

    /**
     * Confirms an attempt's result with Antom now (the docs' "before shipping" check) and applies what Antom says (a
     * refund it lists that this service never asked for, done or under way, flags the payment).
     */
    public Confirmation confirm(PaymentAttempt attempt) {
        if (!(inquire(attempt) instanceof Inquiry.Answered answered)) {
            return Confirmation.NOT_ANSWERED;
        }
        if (!answered.cancelListed() || answered.changedTo().isPresent()) {
            return Confirmation.CONFIRMED;
        }
        flagCancelListed(attempt);
        return Confirmation.CANCEL_LISTED;
    }

    /** The history cause, and the flag's, of a cancel Antom lists of a payment it still has paid. */
    public static final String CANCEL_LISTED = "CANCEL_LISTED";

    /**
     * Antom lists a cancel of a payment it still has paid, done or under way (the buyer's money going back): the
     * payment is flagged, once, so that the pre-shipment check holds its order at every later check too (the inquiry
     * confirmed the payment's state all the same, which would let the next check ship on it), until an operator has
     * looked into it.
     */
    public void flagCancelListed(PaymentAttempt attempt) {
        String prid = attempt.paymentRequestId();
        if (!ledger.noted(prid, CANCEL_LISTED, detail -> true)) {
            String detail = "Antom lists a cancel of this payment, done or under way, which gives the money back";
            ledger.note(prid, CANCEL_LISTED, detail, CANCEL_LISTED + ": " + detail);
        }
    }

    /**
     * Applies Antom's answer (a paid attempt's capture under way was ruled out by {@link #inquire}); a close applies
     * only to the attempt as it was read, not to one that moved meanwhile (an operator's cancel, say).
     */
    private Optional<PaymentState> apply(PaymentAttempt attempt, AlipayPayQueryResponse response,
            Optional<Transaction> capture) {
        TransactionStatusType status = response.getPaymentStatus();
        boolean captured = capture.isPresent() && capture.get().getTransactionStatus() == TransactionStatusType.SUCCESS;
        if (attempt.state() == PaymentState.CAPTURE_FAILED && status == TransactionStatusType.CANCELLED && !captured) {
            return releasedOrOurs(attempt, "Antom cancelled the authorisation after its capture failed");
        }
        if (capture.isPresent() && (attempt.state() == PaymentState.CAPTURE_REQUESTED
                || attempt.state() == PaymentState.SUCCEEDED || attempt.state() == PaymentState.AUTHORISED
                || attempt.state() == PaymentState.CAPTURE_FAILED)) {
            // a capture's result, whoever asked for it (an AUTHORISED one: a capture the ledger missed; a
            // CAPTURE_FAILED one: a later capture that succeeded)
            return applyResult(attempt, captureResult(attempt, response, capture.get()));
        }
        if (attempt.state() == PaymentState.CAPTURE_REQUESTED) {
            // Antom cancelled the authorisation (released it after 7 days) before any capture reached it
            return status == TransactionStatusType.CANCELLED
                    ? releasedOrOurs(attempt, "Antom cancelled the authorisation before it was captured")
                    : Optional.empty();
        }
        return switch (status) {
            case SUCCESS, FAIL -> applyResult(attempt, paymentResult(response, status));
            // what PAYMENT_PENDING would have applied: an attempt whose pay answer was lost waits for the result
            case PENDING -> applyResult(attempt, pendingResult(response));
            case CANCELLED -> attempt.state().isPaid() ? paidButCancelled(attempt)
                    : cancelAsRead(attempt, "INQUIRY_CANCELLED", null, null);
            default -> Optional.empty();
        };
    }

    /**
     * A payment the ledger has paid that Antom lists cancelled without a capture: an authorisation Antom released
     * (flagged {@code AUTHORISATION_RELEASED}), or a paid payment cancelled in Antom's Dashboard (flagged
     * {@code CANCEL_LISTED}: its money went back with no one here asking), unless this service's own cancel did it.
     */
    private Optional<PaymentState> paidButCancelled(PaymentAttempt attempt) {
        if (attempt.state() == PaymentState.AUTHORISED) {
            return releasedOrOurs(attempt, "Antom lists the authorisation cancelled; no cancel of this service");
        }
        String detail = "Antom lists this paid payment cancelled, its money given back; no cancel of this service";
        return oursOr(attempt, () -> cancelAsRead(attempt, "INQUIRY_CANCELLED", detail, CANCEL_LISTED + ": " + detail));
    }

    private Optional<PaymentState> applyResult(PaymentAttempt attempt, AntomResult result) {
        return tx.execute(status -> {
            PaymentAttempt locked = ledger.lock(attempt.paymentRequestId()).orElseThrow();
            PaymentState before = locked.state();
            results.apply(locked, result, "INQUIRY");
            PaymentState after = ledger.find(attempt.paymentRequestId()).orElseThrow().state();
            return after != before ? Optional.of(after) : Optional.<PaymentState>empty();
        });
    }

    /**
     * Closes a card authorisation Antom released without a capture (CANCELLED, flagged): the money reserved for the
     * order was never taken, and an operator must see to the order. Only if the attempt is still in the state
     * {@code attempt} was read in (a capture requested since is left alone); empty when it was not closed.
     */
    public Optional<PaymentState> release(PaymentAttempt attempt, String detail) {
        return cancelAsRead(attempt, "AUTHORISATION_RELEASED", detail, "AUTHORISATION_RELEASED: " + detail);
    }

    /**
     * An authorisation Antom lists as cancelled: released by Antom ({@link #release}, flagged), unless this service
     * sent a cancel for it (an order's cancellation whose answer was lost), which did it.
     */
    private Optional<PaymentState> releasedOrOurs(PaymentAttempt attempt, String detail) {
        return oursOr(attempt, () -> release(attempt, detail));
    }

    /**
     * A cancel Antom lists of this attempt: closed unflagged if this service sent a cancel for it (its answer lost),
     * which did it; else what {@code notOurs} makes of it.
     */
    private Optional<PaymentState> oursOr(PaymentAttempt attempt, Supplier<Optional<PaymentState>> notOurs) {
        return ledger.cancelAsked(attempt.paymentRequestId())
                ? cancelAsRead(attempt, "INQUIRY_CANCELLED", "cancelled at Antom, as asked", null)
                : notOurs.get();
    }

    /** Closes the attempt CANCELLED if it is still in the state it was read in; empty when it moved meanwhile. */
    private Optional<PaymentState> cancelAsRead(PaymentAttempt attempt, String cause, String detail,
            String flagReason) {
        boolean closed = closing.close(attempt.paymentRequestId(), attempt.state(), PaymentState.CANCELLED, cause,
                null, null, detail, flagReason);
        return closed ? Optional.of(PaymentState.CANCELLED) : Optional.empty();
    }

    /**
     * Closes an attempt in {@code target} without asking Antom anything more, if it is still in the state it was read
     * in (a notification may have moved it meanwhile); empty when it was not closed.
     */
    public Optional<PaymentState> closeAsRead(PaymentAttempt attempt, PaymentState target, String cause) {
        boolean closed = closing.close(attempt.paymentRequestId(), attempt.state(), target, cause, null, null, null,
                null);
        return closed ? Optional.of(target) : Optional.empty();
    }

    /**
     * A refund Antom lists that this service never asked for (made in Antom's Dashboard, its notification lost or not
     * come yet) flags the payment, as notifyRefund would: the pre-shipment check then holds the order.
     */
    private void flagRefundsNotOurs(PaymentAttempt attempt, AlipayPayQueryResponse response) {
        if (response.getTransactions() == null) {
            return;
        }
        response.getTransactions().stream()
                // done, or still under way (PROCESSING): the money is going back all the same
                .filter(t -> t.getTransactionType() == TransactionType.REFUND
                        && t.getTransactionStatus() != TransactionStatusType.FAIL
                        && (t.getTransactionRequestId() != null || t.getTransactionId() != null))
                .filter(t -> !refundResults.isOurs(attempt, t.getTransactionRequestId(), t.getTransactionId()))
                .forEach(t -> refundResults.flagRefundNotOurs(attempt, t.getTransactionRequestId() != null
                        ? t.getTransactionRequestId() : t.getTransactionId(), "listed by Antom ("
                        + t.getTransactionStatus() + "), made outside this service"));
    }

    /**
     * Whether Antom lists a cancel of the payment that took effect or may still take effect: a CANCEL, or a VOID (its
     * name for the cancel of a card's authorisation, as in the settlement files) while no capture took the money (a
     * void then releases only what was not captured).
     */
    private static boolean cancelListed(AlipayPayQueryResponse response) {
        if (response.getPaymentStatus() == TransactionStatusType.CANCELLED) {
            return true;
        }
        List<Transaction> listed = response.getTransactions() == null ? List.of() : response.getTransactions();
        boolean captured = listed.stream().anyMatch(t -> t.getTransactionType() == TransactionType.CAPTURE
                && t.getTransactionStatus() == TransactionStatusType.SUCCESS);
        return listed.stream().anyMatch(t -> (t.getTransactionType() == TransactionType.CANCEL
                || t.getTransactionType() == TransactionType.VOID && !captured)
                && t.getTransactionStatus() != TransactionStatusType.FAIL);
    }

    /**
     * The capture Antom lists for the attempt: one that took the money (whichever request made it: one from Antom's
     * Dashboard too), else the one it asked for last (its captureRequestId), else (not while a capture is requested)
     * any. After a failed capture and a new one, Antom lists both: the earlier one's failure says nothing of the
     * capture under way, which, not listed, never reached Antom.
     */
    static Optional<Transaction> capture(PaymentAttempt attempt, AlipayPayQueryResponse response) {
        List<Transaction> captures = response.getTransactions() == null ? List.of()
                : response.getTransactions().stream().filter(t -> t.getTransactionType() == TransactionType.CAPTURE)
                        .toList();
        Optional<Transaction> takenOrOwn = captures.stream()
                .filter(t -> t.getTransactionStatus() == TransactionStatusType.SUCCESS).findFirst()
                .or(() -> captures.stream()
                        .filter(t -> Objects.equals(t.getTransactionRequestId(), attempt.captureRequestId()))
                        .findFirst());
        return attempt.state() == PaymentState.CAPTURE_REQUESTED ? takenOrOwn
                : takenOrOwn.or(() -> captures.stream().findFirst());
    }

    private static AntomResult paymentResult(AlipayPayQueryResponse response, TransactionStatusType status) {
        boolean success = status == TransactionStatusType.SUCCESS;
        Amount amount = response.getPaymentAmount();
        return new AntomResult(AntomResult.PAYMENT_RESULT, success ? "S" : "F",
                success ? "SUCCESS" : response.getPaymentResultCode(), response.getPaymentResultMessage(),
                response.getPaymentRequestId(), response.getPaymentId(), null, null,
                amount == null ? null : amount.getCurrency(), amount == null ? null : amount.getValue(), null, null,
                null, null, null);
    }

    private static AntomResult pendingResult(AlipayPayQueryResponse response) {
        Amount amount = response.getPaymentAmount();
        return new AntomResult(AntomResult.PAYMENT_PENDING, "S", "PAYMENT_PENDING", response.getPaymentResultMessage(),
                response.getPaymentRequestId(), response.getPaymentId(), null, null,
                amount == null ? null : amount.getCurrency(), amount == null ? null : amount.getValue(), null, null,
                null, null, null);
    }

    private static AntomResult captureResult(PaymentAttempt attempt, AlipayPayQueryResponse response,
            Transaction capture) {
        boolean success = capture.getTransactionStatus() == TransactionStatusType.SUCCESS;
        Amount amount = capture.getTransactionAmount();
        return new AntomResult(AntomResult.CAPTURE_RESULT, success ? "S" : "F",
                success ? "SUCCESS" : "CAPTURE_FAILED", null, attempt.paymentRequestId(), response.getPaymentId(),
                capture.getTransactionRequestId(), capture.getTransactionId(),
                amount == null ? null : amount.getCurrency(), amount == null ? null : amount.getValue(), null, null,
                null, null, null);
    }
}
