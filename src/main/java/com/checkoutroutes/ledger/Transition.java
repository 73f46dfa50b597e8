package com.checkoutroutes.ledger;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.lang3.StringUtils;

/** A requested state change, with the fields it updates and the events it emits (written in the same transaction). */
public final class Transition {

    /**
     * The longest result message and flag reason kept (their columns' size): both can quote Antom's answers, and an
     * update that failed on one would fail again at every retry of the order, event or check that made it.
     */
    static final int MAX_TEXT = 512;

    final PaymentState to;
    final String cause;
    String detail;
    String paymentId;
    String resultCode;
    String resultMessage;
    String continuationJson;
    OffsetDateTime expiresAt;
    String flagReason;
    /** A move to CAPTURE_FAILED that needs no operator (a capture given up on purpose): not flagged. */
    boolean expectedCaptureFailure;
    String captureRequestId;
    String captureId;
    boolean confirmed;
    OffsetDateTime paidAfter;
    final List<OutboxMessage> events = new ArrayList<>();

    private Transition(PaymentState to, String cause) {
        this.to = to;
        this.cause = cause;
    }

    public static Transition to(PaymentState state, String cause) {
        return new Transition(state, cause);
    }

    public Transition detail(String value) {
        this.detail = value;
        return this;
    }

    public Transition paymentId(String value) {
        this.paymentId = value;
        return this;
    }

    public Transition result(String code, String message) {
        this.resultCode = code;
        this.resultMessage = StringUtils.truncate(message, MAX_TEXT);
        return this;
    }

    public Transition continuation(String json) {
        this.continuationJson = json;
        return this;
    }

    public Transition expiresAt(OffsetDateTime value) {
        this.expiresAt = value;
        return this;
    }

    public Transition flag(String reason) {
        this.flagReason = StringUtils.truncate(reason, MAX_TEXT);
        return this;
    }

    /**
     * A capture given up on purpose (a cancellation overtook one that never reached Antom): unlike a capture Antom
     * refused, it is not flagged for an operator.
     */
    public Transition captureGivenUp() {
        this.expectedCaptureFailure = true;
        return this;
    }

    public Transition captureRequestId(String value) {
        this.captureRequestId = value;
        return this;
    }

    public Transition captureId(String value) {
        this.captureId = value;
        return this;
    }

    /** The new state was confirmed by Antom itself (a notification or an inquiry), not inferred. */
    public Transition confirmed() {
        this.confirmed = true;
        return this;
    }

    /**
     * The attempt becomes paid after {@code other}, the order's own payment: its {@code paidAt} is set later than
     * that even where the instance that paid the other ran its clock ahead, so that "paid first" agrees with the
     * lock order in which the second payment was found.
     */
    public Transition paidAfter(OffsetDateTime other) {
        this.paidAfter = other;
        return this;
    }

    public Transition emit(OutboxMessage event) {
        events.add(event);
        return this;
    }

    public PaymentState target() {
        return to;
    }
}
