package com.checkoutroutes.ledger;

/** A new attempt was asked for an order that already has a successful payment. */
public class OrderAlreadyPaidException extends RuntimeException {

    public OrderAlreadyPaidException(String orderId, String paidBy) {
        super("order " + orderId + " is already paid by " + paidBy);
    }
}
