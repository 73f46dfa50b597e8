package com.checkoutroutes.ledger;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The explicit states of one refund, in the style of {@link PaymentState}: transitions are listed, everything else is
 * refused. A refund is stored REQUESTED (its refundRequestId kept) before Antom's {@code refund} is called. Antom's
 * answer S only accepts it (ACCEPTED; Antom's docs: the final result comes later), F fails it; {@code notifyRefund}
 * or {@code inquiryRefund} gives the final result, REFUNDED or FAILED; an answer that never came leaves it UNKNOWN
 * for the janitor.
 */
public enum RefundState {
    /** stored, Antom is being called (a crash here is resolved by sending the same refundRequestId again) */
    REQUESTED,
    /** the outcome of the call is not known (timeouts, U): the janitor asks Antom ({@code inquiryRefund}) */
    UNKNOWN,
    /** Antom accepted it (its answer was S): the money is on its way, notifyRefund or inquiryRefund tells the end */
    ACCEPTED,
    /** the money went back to the buyer */
    REFUNDED,
    /** Antom refused it (the amount, the method's window, a method without refunds...): nothing went back */
    FAILED;

    public Set<RefundState> next() {
        return switch (this) {
            case REQUESTED -> EnumSet.of(UNKNOWN, ACCEPTED, REFUNDED, FAILED);
            case UNKNOWN -> EnumSet.of(ACCEPTED, REFUNDED, FAILED);
            case ACCEPTED -> EnumSet.of(REFUNDED, FAILED);
            // REFUNDED: Antom reports the refund done after it was reported failed (as a capture after a failed one,
            // PaymentState): the money went back, whatever the ledger last heard; its amount is held again
            case FAILED -> EnumSet.of(REFUNDED);
            case REFUNDED -> EnumSet.noneOf(RefundState.class);
        };
    }

    public boolean canMoveTo(RefundState target) {
        return next().contains(target);
    }

    /**
     * Antom gave the refund's final result: nothing is sent or asked about it any more (a FAILED one moves on only
     * when Antom itself reports it refunded after all).
     */
    public boolean isFinal() {
        return this == REFUNDED || this == FAILED;
    }

    /**
     * The refund's amount is spoken for: refunded, or possibly on its way to the buyer. Only a FAILED refund gives its
     * amount back to what can still be refunded.
     */
    public boolean holdsAmount() {
        return this != FAILED;
    }

    /**
     * Antom took the refund: accepted it, or it is done. What a settlement file lists as a refund, and when the
     * refund's {@code refunded_at} is stamped (first reached, Antom's acceptance).
     */
    public boolean isTakenByAntom() {
        return this == ACCEPTED || this == REFUNDED;
    }

    /** The janitor asks Antom about refunds in this state. */
    public boolean isDueForCheck() {
        return this == REQUESTED || this == UNKNOWN || this == ACCEPTED;
    }

    /**
     * Which of the janitor's first-check delays a refund that just entered this state waits: UNKNOWN's and
     * REQUESTED's as for payments; an ACCEPTED one, whose final result notifyRefund usually brings, PENDING's (an
     * attempt waiting for its notification).
     */
    public PaymentState.FirstCheck firstCheck() {
        return switch (this) {
            case UNKNOWN -> PaymentState.FirstCheck.UNKNOWN;
            case ACCEPTED -> PaymentState.FirstCheck.PENDING;
            default -> PaymentState.FirstCheck.REQUESTED;
        };
    }

    /** Where a final result from Antom (a notification, an inquiry, an F answer) moves a refund. */
    public static RefundState onResult(boolean succeeded) {
        return succeeded ? REFUNDED : FAILED;
    }

    /** Where Antom's answer to {@code refund} moves a refund: S only accepts it, F is final. */
    public static RefundState onAnswer(boolean accepted) {
        return accepted ? ACCEPTED : FAILED;
    }

    /** The names of the states answering yes, for an SQL {@code IN (...)}, as {@link PaymentState#sqlList}. */
    public static String sqlList(Predicate<RefundState> test) {
        Set<RefundState> states = Arrays.stream(values()).filter(test)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(RefundState.class)));
        if (states.isEmpty()) {
            throw new IllegalArgumentException("no state answers yes: IN () is not SQL");
        }
        return states.stream().map(state -> "'" + state.name() + "'").collect(Collectors.joining(", "));
    }
}
