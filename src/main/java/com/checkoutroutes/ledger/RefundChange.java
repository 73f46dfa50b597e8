package com.checkoutroutes.ledger;

/** A requested change of a refund's state, with the fields it records; its result event is written with it. */
public final class RefundChange {

    final RefundState to;
    final String cause;
    String detail;
    String refundId;
    String resultCode;
    String resultMessage;
    boolean confirmed;

    private RefundChange(RefundState to, String cause) {
        this.to = to;
        this.cause = cause;
    }

    public static RefundChange to(RefundState state, String cause) {
        return new RefundChange(state, cause);
    }

    public RefundChange detail(String value) {
        this.detail = value;
        return this;
    }

    public RefundChange refundId(String value) {
        this.refundId = value;
        return this;
    }

    public RefundChange result(String code, String message) {
        this.resultCode = code;
        this.resultMessage = message;
        return this;
    }

    /** The new state was said by Antom itself (its answer, a notification, an inquiry), not inferred. */
    public RefundChange confirmed() {
        this.confirmed = true;
        return this;
    }

    public RefundState target() {
        return to;
    }
}
