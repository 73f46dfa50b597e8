package com.checkoutroutes.ledger;

/**
 * A new attempt of an order that has a later attempt already (a dead letter sent again, an old attempt posted again):
 * stored and paid, it would give the buyer a second live payment beside the one that replaced it.
 */
public class AttemptSupersededException extends NewAttemptRefusedException {

    public AttemptSupersededException(String orderId, int attemptNo, int later) {
        super("ATTEMPT_SUPERSEDED", "$.attempt", "order " + orderId + " has attempt " + later
                + " already, which replaced attempt " + attemptNo + "; send a new attempt number above " + later
                + " to pay it again");
    }
}
