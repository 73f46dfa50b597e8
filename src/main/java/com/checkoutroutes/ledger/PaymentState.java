package com.checkoutroutes.ledger;

import java.util.EnumSet;
import java.util.Set;

/**
 * The explicit states of one payment attempt (Kill Bill style: transitions are listed, everything else is refused).
 * Cards with manual capture go AUTHORISED → CAPTURE_REQUESTED → CAPTURED; automatic cards go SUCCEEDED → CAPTURED.
 */
public enum PaymentState {
    /** stored, Antom not yet called */
    CREATED,
    /** Antom is being called (a crash here is resolved by calling again with the same paymentRequestId) */
    REQUESTED,
    /** Antom answered PAYMENT_IN_PROCESS: the buyer holds the continuation */
    PENDING,
    /** the outcome of a call is not known (timeouts, U, bad signature): the janitor asks Antom */
    UNKNOWN,
    SUCCEEDED,
    AUTHORISED,
    CAPTURE_REQUESTED,
    CAPTURED,
    CAPTURE_FAILED,
    FAILED,
    EXPIRED,
    CANCELLED;

    public Set<PaymentState> next() {
        return switch (this) {
            case CREATED -> EnumSet.of(REQUESTED, FAILED);
            case REQUESTED -> EnumSet.of(PENDING, SUCCEEDED, AUTHORISED, FAILED, UNKNOWN, CANCELLED, EXPIRED);
            case UNKNOWN -> EnumSet.of(REQUESTED, PENDING, SUCCEEDED, AUTHORISED, FAILED, EXPIRED, CANCELLED);
            case PENDING -> EnumSet.of(SUCCEEDED, AUTHORISED, FAILED, EXPIRED, CANCELLED, UNKNOWN);
            case SUCCEEDED -> EnumSet.of(CAPTURED, CANCELLED);
            case AUTHORISED -> EnumSet.of(CAPTURE_REQUESTED, CAPTURED, CANCELLED);
            case CAPTURE_REQUESTED -> EnumSet.of(CAPTURED, CAPTURE_FAILED, CANCELLED);
            case CAPTURE_FAILED -> EnumSet.of(CAPTURE_REQUESTED, CANCELLED);
            case CAPTURED, FAILED, EXPIRED, CANCELLED -> EnumSet.noneOf(PaymentState.class);
        };
    }

    public boolean canMoveTo(PaymentState target) {
        return next().contains(target);
    }

    /** No transition leaves a final state. */
    public boolean isFinal() {
        return next().isEmpty();
    }

    /** The buyer's money has been taken or reserved by this attempt. */
    public boolean isPaid() {
        return this == SUCCEEDED || this == AUTHORISED || this == CAPTURE_REQUESTED || this == CAPTURED
                || this == CAPTURE_FAILED;
    }

    /** Still waiting for Antom or the buyer. */
    public boolean isOpen() {
        return this == CREATED || this == REQUESTED || this == PENDING || this == UNKNOWN;
    }

    /** What Antom can report about an attempt (by notification or by inquiry). */
    public enum Reported {
        PAYMENT_RESULT, PAYMENT_PENDING, CAPTURE_RESULT
    }

    /**
     * The state a result from Antom calls for, from this state: a capture result moves to CAPTURED or
     * CAPTURE_FAILED; a pending one to PENDING; a successful payment to AUTHORISED (manual capture) or SUCCEEDED, and
     * a paid attempt stays where it is (confirmed, never moved back); a failed one to EXPIRED when Antom closed it
     * ({@code ORDER_IS_CLOSED}), else FAILED. Whether the move is allowed is {@link #canMoveTo}'s to say.
     */
    public PaymentState onResult(Reported reported, boolean succeeded, String resultCode, String captureMode) {
        return switch (reported) {
            case CAPTURE_RESULT -> succeeded ? CAPTURED : CAPTURE_FAILED;
            case PAYMENT_PENDING -> PENDING;
            case PAYMENT_RESULT -> {
                if (!succeeded) {
                    yield "ORDER_IS_CLOSED".equals(resultCode) ? EXPIRED : FAILED;
                }
                yield isPaid() ? this : "MANUAL".equals(captureMode) ? AUTHORISED : SUCCEEDED;
            }
        };
    }
}
