package com.checkoutroutes.ledger;

/**
 * A refund the rules do not allow (nothing paid, not captured, more than what is left, another currency...): nothing
 * was stored and Antom was not called. {@code code} is machine-readable, the message says why.
 */
public class RefundRefusedException extends RuntimeException {

    private final String code;

    public RefundRefusedException(String code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** The message without the code. */
    public String reason() {
        return getMessage().substring(code.length() + 2);
    }
}
