package com.checkoutroutes.ledger;

/** No attempt with this paymentRequestId is in the ledger. */
public class UnknownPaymentException extends RuntimeException {

    public UnknownPaymentException(String paymentRequestId) {
        super("no payment attempt " + paymentRequestId);
    }
}
