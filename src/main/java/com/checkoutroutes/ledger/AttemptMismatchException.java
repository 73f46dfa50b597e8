package com.checkoutroutes.ledger;

/** The same order attempt arrived again with different payment parameters: never send Antom a changed request. */
public class AttemptMismatchException extends RuntimeException {

    public AttemptMismatchException(String orderId, int attemptNo) {
        super("order " + orderId + " attempt " + attemptNo + " was already requested with different parameters; "
                + "send a new attempt number for a deliberate retry");
    }
}
