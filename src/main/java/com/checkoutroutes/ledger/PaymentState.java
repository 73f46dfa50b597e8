package com.checkoutroutes.ledger;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

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
            // CAPTURED: Antom reports a capture done after one was reported failed (a later capture, or the failed
            // one's answer was wrong); the money is taken, whatever the ledger last heard
            case CAPTURE_FAILED -> EnumSet.of(CAPTURE_REQUESTED, CAPTURED, CANCELLED);
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

    /**
     * The buyer's money is captured, so a refund can give it back: APMs and automatic-capture cards once they
     * succeeded (Antom captures an automatic card itself), manual-capture cards once captured.
     */
    public boolean isCaptured() {
        return this == SUCCEEDED || this == CAPTURED;
    }

    /**
     * A cancel sent now would give the buyer's money back (Antom's cancel of a paid payment refunds it, and voids an
     * authorisation); a card captured by a capture call it cannot (Antom cancels nothing after capture).
     */
    public boolean cancelGivesMoneyBack() {
        return isPaid() && this != CAPTURED;
    }

    /** Still waiting for Antom or the buyer. */
    public boolean isOpen() {
        return this == CREATED || this == REQUESTED || this == PENDING || this == UNKNOWN;
    }

    /**
     * Payments still moving (the gauges count these on every refresh; the settled rest less often): open ones, and
     * manual-capture cards not yet captured or cancelled.
     */
    public boolean isInFlight() {
        return isOpen() || this == AUTHORISED || this == CAPTURE_REQUESTED || this == CAPTURE_FAILED;
    }

    /**
     * Waiting for Antom's answer to its pay or its capture: nothing can be decided on it meanwhile (an order's
     * cancellation waits for these; {@link OrderCancellations} lists the same states).
     */
    public boolean awaitsAntom() {
        return isResultUnknown() || this == CAPTURE_REQUESTED;
    }

    /** Antom may have taken the money, but the service does not know yet (shipping waits on these). */
    public boolean isResultUnknown() {
        return this == REQUESTED || this == UNKNOWN;
    }

    /** The janitor asks Antom about attempts in this state, whatever their capture mode. */
    public boolean isDueForCheck() {
        return this == REQUESTED || this == PENDING || this == UNKNOWN || this == CAPTURE_REQUESTED;
    }

    /**
     * The janitor asks Antom about attempts in this state when Antom captures them itself ({@code AUTOMATIC}):
     * automatic-capture cards paid but not yet CAPTURED.
     */
    public boolean isDueForCheckIfAutomaticCapture() {
        return this == SUCCEEDED;
    }

    /**
     * Whether the janitor asks Antom about an attempt in this state with this capture mode; entering it schedules the
     * first check, leaving it clears the next one.
     */
    public boolean isDueForCheck(String captureMode) {
        return isDueForCheck() || isDueForCheckIfAutomaticCapture() && AUTOMATIC_CAPTURE.equals(captureMode);
    }

    /** Which of the janitor's first-check delays ({@code checkout.janitor.first-check.*}) an attempt waits first. */
    public enum FirstCheck {
        PENDING, UNKNOWN, REQUESTED, CAPTURE_REQUESTED
    }

    /**
     * How long the janitor leaves an attempt that just entered this state before its first look: its own delay
     * for PENDING, UNKNOWN and CAPTURE_REQUESTED; REQUESTED's for the others (an automatic capture, SUCCEEDED).
     */
    public FirstCheck firstCheck() {
        return switch (this) {
            case PENDING -> FirstCheck.PENDING;
            case UNKNOWN -> FirstCheck.UNKNOWN;
            case CAPTURE_REQUESTED -> FirstCheck.CAPTURE_REQUESTED;
            default -> FirstCheck.REQUESTED;
        };
    }

    /** The capture mode in which Antom captures a card payment itself. */
    public static final String AUTOMATIC_CAPTURE = "AUTOMATIC";
    /** The capture mode in which the merchant captures ({@code capture}) an authorised card payment. */
    public static final String MANUAL_CAPTURE = "MANUAL";

    /** Where a successful payment lands: AUTHORISED when the merchant captures it (MANUAL), else SUCCEEDED. */
    public static PaymentState paid(String captureMode) {
        return MANUAL_CAPTURE.equals(captureMode) ? AUTHORISED : SUCCEEDED;
    }

    /** The states answering yes, in declaration order. */
    public static Set<PaymentState> where(Predicate<PaymentState> test) {
        return Collections.unmodifiableSet(Arrays.stream(values()).filter(test)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(PaymentState.class))));
    }

    /**
     * The names of the states answering yes as the inside of an SQL {@code IN (...)}, in declaration order:
     * {@code sqlList(PaymentState::isPaid)} is {@code 'SUCCEEDED', 'AUTHORISED', ...}. SQL about states is written
     * with these, never with names typed by hand.
     */
    public static String sqlList(Predicate<PaymentState> test) {
        Set<PaymentState> states = where(test);
        if (states.isEmpty()) {
            throw new IllegalArgumentException("no state answers yes: IN () is not SQL");
        }
        return states.stream().map(state -> "'" + state.name() + "'").collect(Collectors.joining(", "));
    }

    /**
     * The SQL condition on a {@code payment_attempt} row (columns {@code state}, {@code capture_mode}) that is true
     * when {@link #isDueForCheck(String)} is.
     */
    public static String dueForCheckSql() {
        return "(state IN (" + sqlList(PaymentState::isDueForCheck) + ") OR (state IN ("
                + sqlList(PaymentState::isDueForCheckIfAutomaticCapture) + ") AND capture_mode = '"
                + AUTOMATIC_CAPTURE + "'))";
    }

    /** The SQL condition on a {@code payment_attempt} row that is true when {@code test} is for its state. */
    public static String stateSql(Predicate<PaymentState> test) {
        return "state IN (" + sqlList(test) + ")";
    }

    /** A failed payment: EXPIRED when Antom closed it ({@code ORDER_IS_CLOSED}), else FAILED. */
    private static PaymentState failed(String resultCode) {
        return "ORDER_IS_CLOSED".equals(resultCode) ? EXPIRED : FAILED;
    }

    /** What Antom can report about an attempt (by notification or by inquiry). */
    public enum Reported {
        PAYMENT_RESULT, PAYMENT_PENDING, CAPTURE_RESULT
    }

    /**
     * The state a result from Antom calls for, from this state: a capture result moves to CAPTURED or
     * CAPTURE_FAILED; a pending one to PENDING; a successful payment to AUTHORISED (manual capture) or SUCCEEDED, and
     * a paid attempt stays where it is (confirmed, never moved back); a failed one, a pending one with status F too, to
     * EXPIRED when Antom closed it ({@code ORDER_IS_CLOSED}), else FAILED. Whether the move is allowed is
     * {@link #canMoveTo}'s to say.
     */
    public PaymentState onResult(Reported reported, boolean succeeded, String resultCode, String captureMode) {
        return switch (reported) {
            case CAPTURE_RESULT -> succeeded ? CAPTURED : CAPTURE_FAILED;
            // Antom's notifyPayment: S with PAYMENT_PENDING is "processing", F is a failed payment whatever its type
            case PAYMENT_PENDING -> succeeded ? PENDING : failed(resultCode);
            case PAYMENT_RESULT -> succeeded ? (isPaid() ? this : paid(captureMode)) : failed(resultCode);
        };
    }
}
