package com.checkoutroutes.ledger;

/** A new attempt was asked for an order that already has a successful payment. */
public class OrderAlreadyPaidException extends NewAttemptRefusedException {

    public OrderAlreadyPaidException(String orderId, String paidBy) {
        super("ORDER_ALREADY_PAID", "$.orderId", "order " + orderId + " is already paid by " + paidBy);
    }
}
