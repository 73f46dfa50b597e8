package com.checkoutroutes.ledger;

/** A transition the state machine does not allow (e.g. FAIL after SUCCESS): nothing was changed. */
public class IllegalTransitionException extends RuntimeException {

    private final PaymentState from;
    private final PaymentState to;

    public IllegalTransitionException(String paymentRequestId, PaymentState from, PaymentState to) {
        super("payment " + paymentRequestId + " cannot move from " + from + " to " + to);
        this.from = from;
        this.to = to;
    }

    public PaymentState from() {
        return from;
    }

    public PaymentState to() {
        return to;
    }
}
