package com.checkoutroutes.ledger;

/** A flag was to be cleared from an attempt that carries none; nothing changed. */
public class NotFlaggedException extends RuntimeException {

    public NotFlaggedException(String paymentRequestId) {
        super("payment " + paymentRequestId + " is not flagged");
    }
}
