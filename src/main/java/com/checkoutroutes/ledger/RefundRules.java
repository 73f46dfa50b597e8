package com.checkoutroutes.ledger;

import java.util.List;

/**
 * What may be refunded of one payment attempt, whoever asks (an order event, the duplicate-payment rule, an
 * operator): only money that was captured, never more in total than was captured, in the payment's currency. A
 * failed refund gives its amount back; one still on its way (requested, unknown) holds it. Antom adds its own rules
 * per payment method (no refunds, no partial refunds, a refund window) and answers them with F.
 */
public final class RefundRules {

    /**
     * The history cause (and flag reason) of a refund Antom made that this service never asked for (in Antom's
     * Dashboard, say): until an operator clears the flag, no amount is refunded of the payment
     * ({@code REFUNDED_OUTSIDE}), as that refund's amount, and whether it was for the very return now asked, are not
     * known here. A refund of all that is left (an order's cancellation, a second payment given back) still goes:
     * Antom refuses the part the refund outside took, and the refund ends FAILED and flagged for an operator.
     */
    public static final String REFUND_NOT_OURS = "REFUND_NOT_OURS";

    /**
     * The history cause (and flag reason) of a dispute step that needs an operator (a chargeback raised, judged,
     * accepted, resolved at once by the card scheme, its defence due): until an operator clears the flag, nothing is
     * refunded of the payment ({@code DISPUTED}), all that is left included, as the buyer may be getting the money back
     * through the dispute.
     */
    public static final String DISPUTED = "DISPUTED";

    private RefundRules() {
    }

    /**
     * Refuses any refund of a payment flagged for a dispute that no operator has cleared since ({@code history}: its
     * causes in order): a chargeback gives the buyer the money back through the card scheme, and a refund on top would
     * give it twice.
     */
    public static void refuseWhileDisputed(PaymentAttempt payment, List<String> history) {
        if (disputed(payment, history)) {
            throw new RefundRefusedException("DISPUTED", "Antom notified or listed a dispute of this payment (flag "
                    + DISPUTED + "): an operator settles it in Antom's Dashboard and clears the flag before this"
                    + " service refunds the payment");
        }
    }

    /** Whether the payment is flagged for a dispute no operator has cleared since ({@code history}: its causes). */
    public static boolean disputed(PaymentAttempt payment, List<String> history) {
        return payment.flagged() && history.lastIndexOf(DISPUTED) > history.lastIndexOf(PaymentLedger.FLAG_CLEARED);
    }

    /**
     * Refuses a refund of a payment flagged for a refund made outside this service that no operator has cleared since
     * ({@code history}: its causes in order): the order system's return may be that very refund, given twice.
     */
    public static void refuseWhileRefundedOutside(PaymentAttempt payment, List<String> history) {
        if (!payment.flagged()) {
            return;
        }
        int outside = history.lastIndexOf(REFUND_NOT_OURS);
        if (outside >= 0 && outside > history.lastIndexOf(PaymentLedger.FLAG_CLEARED)) {
            throw new RefundRefusedException("REFUNDED_OUTSIDE", "Antom lists a refund of this payment made outside "
                    + "this service (flag " + REFUND_NOT_OURS + "): an operator accounts for it and clears the flag "
                    + "before this service refunds the payment again");
        }
    }

    /**
     * The amount captured by this attempt, which refunds may give back: all of it once APMs and automatic-capture cards
     * succeeded or a card was captured; nothing while a card is only authorised (cancel it instead).
     */
    public static long captured(PaymentAttempt payment) {
        return payment.state().isCaptured() ? payment.amountValue() : 0;
    }

    /** What is left to refund: the captured amount less every refund that holds its amount. */
    public static long refundable(PaymentAttempt payment, List<Refund> refunds) {
        return Math.max(0, captured(payment) - held(refunds));
    }

    /** What the refunds hold: refunded, or possibly on their way to the buyer (a failed one holds nothing). */
    public static long held(List<Refund> refunds) {
        return refunds.stream().filter(r -> r.state().holdsAmount()).mapToLong(Refund::amountValue).sum();
    }

    /**
     * The amount a new refund of {@code payment} gets: {@code asked}, or everything left when {@code asked} is null.
     * Throws {@link RefundRefusedException} with the reason when the rules refuse it. {@code cancelOnItsWay}: a cancel
     * of the payment may still reach Antom, and a cancel of a paid payment not captured by a capture call gives all of
     * it back: a refund beside it could give the money back twice.
     */
    public static long amountOf(PaymentAttempt payment, List<Refund> refunds, RefundAmount asked,
            boolean cancelOnItsWay) {
        PaymentState state = payment.state();
        // a captured card's money no cancel gives back (Antom cancels nothing after capture): refunded as usual
        if (cancelOnItsWay && state.cancelGivesMoneyBack()) {
            throw new RefundRefusedException("CANCEL_IN_PROGRESS",
                    "a cancel of this payment is on its way to Antom (it gives all of it back); refund once it is known");
        }
        if (state == PaymentState.CAPTURE_REQUESTED) {
            throw new RefundRefusedException("CAPTURE_IN_PROGRESS",
                    "a capture is in progress; refund once its result is known");
        }
        if (state.isPaid() && !state.isCaptured()) {
            throw new RefundRefusedException("NOT_CAPTURED",
                    "the card payment is authorised, not captured (" + state + "): cancel it instead");
        }
        if (!state.isCaptured()) {
            throw new RefundRefusedException("NOT_PAID", "payment " + payment.paymentRequestId() + " is " + state);
        }
        if (asked != null && !payment.currency().equals(asked.currency())) {
            throw new RefundRefusedException("CURRENCY_MISMATCH", "the payment is in " + payment.currency()
                    + ", the refund asks for " + asked.currency());
        }
        if (asked != null && asked.value() <= 0) {
            throw new RefundRefusedException("INVALID_AMOUNT", "a refund amount is a positive number of minor units");
        }
        long left = refundable(payment, refunds);
        if (asked == null && left == 0) {
            throw new RefundRefusedException("NOTHING_TO_REFUND", "all " + captured(payment) + " " + payment.currency()
                    + " captured is refunded or being refunded");
        }
        if (asked != null && asked.value() > left) {
            throw new RefundRefusedException("REFUND_AMOUNT_EXCEED", "refunding " + asked.value() + " "
                    + asked.currency() + " would exceed the " + captured(payment) + " captured: " + left + " is left");
        }
        return asked == null ? left : asked.value();
    }
}
