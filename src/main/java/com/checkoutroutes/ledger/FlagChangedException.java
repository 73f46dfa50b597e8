package com.checkoutroutes.ledger;

/** A flag was to be cleared as an operator saw it, and it has changed since (another reason added); nothing changed. */
public class FlagChangedException extends RuntimeException {

    public FlagChangedException(String paymentRequestId) {
        super("the flag of payment " + paymentRequestId + " changed since it was shown: look at it again");
    }
}
