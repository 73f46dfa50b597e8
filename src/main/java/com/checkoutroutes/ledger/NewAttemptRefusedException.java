package com.checkoutroutes.ledger;

/**
 * Why the ledger stores no new attempt of an order ({@link PaymentLedger#refuseNewAttempt}): its {@code code} is
 * the order's dead-letter reason and the order door's 409 status, {@code field} the part of the order it is about.
 */
public abstract class NewAttemptRefusedException extends RuntimeException {

    private final String code;
    private final String field;

    protected NewAttemptRefusedException(String code, String field, String message) {
        super(message);
        this.code = code;
        this.field = field;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }
}
