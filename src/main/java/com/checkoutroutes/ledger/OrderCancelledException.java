package com.checkoutroutes.ledger;

/** A new attempt of an order the order system cancelled (or flagged for risk): not stored, never sent to Antom. */
public class OrderCancelledException extends NewAttemptRefusedException {

    public OrderCancelledException(String orderId) {
        super("ORDER_CANCELLED", "$.orderId", "order " + orderId
                + " was cancelled (or flagged for risk) by the order system: no payment is started");
    }
}
